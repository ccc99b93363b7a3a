package io.fabrictelemetry.metrics.api.docs;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.fabrictelemetry.metrics.api.NoGenerator;

/** The settings the README documents turn the OpenAPI document and Swagger UI off; the API is unaffected. */
@SpringBootTest(properties = {"poll.interval=1h", "poll.timeout=1s", "stale.after=2h",
        "springdoc.api-docs.enabled=false", "springdoc.swagger-ui.enabled=false"})
class ApiDocsDisabledTests {

    @DynamicPropertySource
    static void noGenerator(DynamicPropertyRegistry registry) {
        NoGenerator.register(registry);
    }

    @Autowired
    ApplicationContext context;

    @Test
    void documentAndUiAreGoneWhenDisabledWhileTheApiAnswers() {
        // bound without the contract filter: there is no document to check against
        WebTestClient client = WebTestClient.bindToApplicationContext(context).configureClient()
                .responseTimeout(Duration.ofSeconds(30)).build();
        client.get().uri("/v3/api-docs").exchange().expectStatus().isNotFound();
        client.get().uri("/swagger-ui.html").exchange().expectStatus().isNotFound();
        client.get().uri("/v3/api-docs/swagger-config").exchange().expectStatus().isNotFound();
        client.get().uri("/telemetry/ListMetrics").exchange().expectStatus().isEqualTo(503);
    }
}
