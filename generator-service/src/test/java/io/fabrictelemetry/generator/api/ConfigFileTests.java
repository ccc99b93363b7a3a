package io.fabrictelemetry.generator.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The file named by GENERATOR_CONFIG_FILE (default config/generator.yml) is imported when present. */
@SpringBootTest(properties = {"GENERATOR_CONFIG_FILE=src/test/resources/generator-test.yml", "generator.period=1h"})
@AutoConfigureWebTestClient
class ConfigFileTests {

    @Autowired
    WebTestClient client;

    @Test
    void settingsFromTheConfigFileShapeTheFabric() {
        client.get().uri("/counters").exchange()
                .expectStatus().isOk()
                .expectBody(String.class)
                .value(body -> {
                    assertThat(body.lines().findFirst()).hasValue("switch_id,link_state,temperature_c");
                    assertThat(body.lines().skip(1)).hasSize(3);
                });
    }
}
