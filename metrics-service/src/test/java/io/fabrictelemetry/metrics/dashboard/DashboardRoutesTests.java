package io.fabrictelemetry.metrics.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.fabrictelemetry.metrics.api.NoGenerator;

/** How the page and its files are served; no generator needed (the poll aims at a closed port, hourly). */
@SpringBootTest(properties = {"poll.interval=1h", "poll.timeout=1s", "stale.after=2h"})
@AutoConfigureWebTestClient
class DashboardRoutesTests {

    @DynamicPropertySource
    static void noGenerator(DynamicPropertyRegistry registry) {
        NoGenerator.register(registry);
    }

    @Autowired
    WebTestClient client;

    @Test
    void rootServesThePageEvenBeforeTheFirstSnapshot() {
        client.get().uri("/").exchange()
                .expectStatus().isOk()
                .expectHeader().contentType("text/html;charset=utf-8")
                .expectHeader().valueEquals(HttpHeaders.CACHE_CONTROL, "no-cache")
                .expectHeader().exists(HttpHeaders.ETAG)
                .expectHeader().valueEquals("X-Content-Type-Options", "nosniff")
                .expectBody(String.class).value(body -> assertThat(body)
                        .startsWith("<!doctype html>")
                        .contains("<script type=\"module\" src=\"dashboard/main.js\"></script>"));
    }

    @Test
    void pageMayLoadNothingFromAnotherOrigin() {
        client.get().uri("/").exchange()
                .expectHeader().valueEquals("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; "
                        + "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
    }

    @Test
    void modulesAreServedAsJavaScriptAndStylesAsCss() {
        for (String module : List.of("main.js", "api.js", "live.js", "heatmap.js", "viridis.js", "sparkline.js", "format.js",
                "ports.js")) {
            client.get().uri("/dashboard/" + module).exchange()
                    .expectStatus().isOk()
                    .expectHeader().contentType("text/javascript;charset=utf-8");
        }
        client.get().uri("/dashboard/dashboard.css").exchange()
                .expectStatus().isOk()
                .expectHeader().contentType("text/css;charset=utf-8");
        client.get().uri("/dashboard/icon.svg").exchange()
                .expectStatus().isOk()
                .expectHeader().contentType("image/svg+xml");
    }

    @Test
    void matchingIfNoneMatchGetsNotModifiedWithoutABody() {
        String etag = client.get().uri("/dashboard/main.js").exchange()
                .expectStatus().isOk()
                .returnResult(String.class).getResponseHeaders().getETag();
        assertThat(etag).matches("\"[0-9a-f]{24}\"");
        client.get().uri("/dashboard/main.js").header(HttpHeaders.IF_NONE_MATCH, "W/" + etag).exchange()
                .expectStatus().isNotModified()
                .expectHeader().valueEquals(HttpHeaders.ETAG, etag)
                .expectBody().isEmpty();
        client.get().uri("/dashboard/main.js").header(HttpHeaders.IF_NONE_MATCH, "\"other\"").exchange()
                .expectStatus().isOk();
    }

    @Test
    void eachFileHasItsOwnEtag() {
        String page = client.get().uri("/").exchange().returnResult(String.class).getResponseHeaders().getETag();
        String module = client.get().uri("/dashboard/main.js").exchange().returnResult(String.class)
                .getResponseHeaders().getETag();
        assertThat(page).isNotEqualTo(module);
    }

    @Test
    void headAnswersLikeGetWithoutTheBody() {
        client.head().uri("/").exchange()
                .expectStatus().isOk()
                .expectHeader().contentType("text/html;charset=utf-8")
                .expectBody().isEmpty();
    }

    @Test
    void unknownFileIsAProblemNotFound() {
        client.get().uri("/dashboard/missing.js").exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.status").isEqualTo(404);
        client.get().uri("/dashboard/../application.yml").exchange()
                .expectStatus().isNotFound();
        client.get().uri("/dashboard/").exchange()
                .expectStatus().isNotFound();
    }

    @Test
    void otherMethodsAreRefusedWithAllow() {
        client.post().uri("/").exchange()
                .expectStatus().isEqualTo(HttpStatus.METHOD_NOT_ALLOWED)
                .expectHeader().value(HttpHeaders.ALLOW, allow -> assertThat(allow).contains("GET").contains("HEAD"));
        client.delete().uri("/dashboard/main.js").exchange()
                .expectStatus().isEqualTo(HttpStatus.METHOD_NOT_ALLOWED);
    }

    @Test
    void everyFileThePageNamesIsServed() {
        String page = client.get().uri("/").exchange().expectBody(String.class).returnResult().getResponseBody();
        java.util.regex.Matcher references = java.util.regex.Pattern.compile("(?:src|href)=\"(dashboard/[^\"]+)\"").matcher(page);
        int found = 0;
        while (references.find()) {
            found++;
            client.get().uri("/" + references.group(1)).exchange().expectStatus().isOk();
        }
        assertThat(found).isEqualTo(3);
    }
}
