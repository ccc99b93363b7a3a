package io.fabrictelemetry.metrics.api.docs;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.webtestclient.autoconfigure.WebTestClientBuilderCustomizer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Registered in {@code META-INF/spring.factories}: every Spring test context gets a WebTestClient
 * customizer that adds {@link OpenApiContractFilter}, so every API test checks its answers against
 * the published OpenAPI document without doing anything. A test that must see a non-conforming
 * answer (the contract's own tests) builds its client without it.
 */
public class OpenApiContractCustomizerFactory implements ContextCustomizerFactory {

    @Override
    public ContextCustomizer createContextCustomizer(Class<?> testClass,
            List<ContextConfigurationAttributes> configAttributes) {
        return new Customizer();
    }

    /** One value for every test class, so contexts stay cached and shared as before. */
    private record Customizer() implements ContextCustomizer {

        @Override
        public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
            context.getBeanFactory().registerSingleton("openApiContractWebTestClientCustomizer",
                    (WebTestClientBuilderCustomizer) builder -> builder.filter(new OpenApiContractFilter())
                            // the first exchange of a context also fetches /v3/api-docs, which springdoc
                            // builds on that first request: seconds on a loaded machine
                            .responseTimeout(Duration.ofSeconds(30)));
        }
    }
}
