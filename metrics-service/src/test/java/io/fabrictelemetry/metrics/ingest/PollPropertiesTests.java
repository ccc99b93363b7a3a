package io.fabrictelemetry.metrics.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.util.unit.DataSize;

import io.fabrictelemetry.metrics.snapshot.StaleProperties;

/** Binding as Spring Boot does it, from environment variables, without a context. */
class PollPropertiesTests {

    private static Binder environment(Map<String, Object> variables) {
        var environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new SystemEnvironmentPropertySource("test-env", variables));
        return new Binder(ConfigurationPropertySources.get(environment));
    }

    private static String rootMessage(Throwable error) {
        while (error.getCause() != null) {
            error = error.getCause();
        }
        return error.getMessage();
    }

    @Test
    void defaultsApplyWithoutConfiguration() {
        Binder binder = environment(Map.of());
        PollProperties poll = binder.bindOrCreate("poll", PollProperties.class);
        assertThat(poll.interval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(poll.timeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(poll.maxBytes()).isEqualTo(DataSize.ofMegabytes(64));
        GeneratorProperties generator = binder.bindOrCreate("generator", GeneratorProperties.class);
        assertThat(generator.countersUrl()).isEqualTo("http://127.0.0.1:9001/counters");
        assertThat(binder.bindOrCreate("stale", StaleProperties.class).after()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void documentedEnvironmentVariablesOverrideTheDefaults() {
        Binder binder = environment(Map.of("POLL_INTERVAL", "5s", "POLL_TIMEOUT", "4s", "POLL_MAX_BYTES", "10MB",
                "STALE_AFTER", "1m", "GENERATOR_HOST", "generator", "GENERATOR_PORT", "9100"));
        PollProperties poll = binder.bindOrCreate("poll", PollProperties.class);
        assertThat(poll.interval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(poll.timeout()).isEqualTo(Duration.ofSeconds(4));
        assertThat(poll.maxBytes()).isEqualTo(DataSize.ofMegabytes(10));
        assertThat(binder.bindOrCreate("stale", StaleProperties.class).after()).isEqualTo(Duration.ofMinutes(1));
        assertThat(binder.bindOrCreate("generator", GeneratorProperties.class).countersUrl())
                .isEqualTo("http://generator:9100/counters");
    }

    @Test
    void timeoutNotShorterThanTheIntervalIsRefused() {
        Throwable error = catchThrowable(() -> environment(Map.of("POLL_INTERVAL", "1s", "POLL_TIMEOUT", "1s"))
                .bindOrCreate("poll", PollProperties.class));
        assertThat(rootMessage(error)).contains("poll.timeout (POLL_TIMEOUT) must be shorter than poll.interval")
                .contains("PT1S");
    }

    @Test
    void portOutOfRangeIsRefusedNamingTheSetting() {
        Throwable error = catchThrowable(() -> environment(Map.of("GENERATOR_PORT", "70000"))
                .bindOrCreate("generator", GeneratorProperties.class));
        assertThat(rootMessage(error)).contains("generator.port (GENERATOR_PORT)").contains("70000");
    }

    @Test
    void zeroStaleAfterIsRefused() {
        Throwable error = catchThrowable(() -> environment(Map.of("STALE_AFTER", "0s"))
                .bindOrCreate("stale", StaleProperties.class));
        assertThat(rootMessage(error)).contains("stale.after (STALE_AFTER)");
    }

    @Test
    void ipv6LiteralHostIsBracketedInTheUrl() {
        assertThat(new GeneratorProperties("::1", 9001, null).countersUrl()).isEqualTo("http://[::1]:9001/counters");
    }

    @Test
    void generatorUrlWinsOverHostAndPortWhichMayBeTheGeneratorsBindAddress() {
        Binder binder = environment(Map.of("GENERATOR_URL", "http://generator:9001", "GENERATOR_HOST", "0.0.0.0",
                "GENERATOR_PORT", "9100"));
        assertThat(binder.bindOrCreate("generator", GeneratorProperties.class).countersUrl())
                .isEqualTo("http://generator:9001/counters");
        assertThat(environment(Map.of("GENERATOR_URL", "https://gen.example/fabric/")).bindOrCreate("generator",
                GeneratorProperties.class).countersUrl()).isEqualTo("https://gen.example/fabric/counters");
    }

    @Test
    void generatorUrlWithAPathNamesTheEndpointItselfAndABaseUrlGetsCounters() {
        assertThat(environment(Map.of("GENERATOR_URL", "http://ufm-host:9001/csv/metrics")).bindOrCreate("generator",
                GeneratorProperties.class).countersUrl()).isEqualTo("http://ufm-host:9001/csv/metrics");
        assertThat(new GeneratorProperties("127.0.0.1", 9001, java.net.URI.create("http://ufm-host:9001/csv/cset/converted_enterprise"))
                .countersUrl()).isEqualTo("http://ufm-host:9001/csv/cset/converted_enterprise");
        assertThat(new GeneratorProperties("127.0.0.1", 9001, java.net.URI.create("http://generator:9001/counters"))
                .countersUrl()).isEqualTo("http://generator:9001/counters");
        assertThat(new GeneratorProperties("127.0.0.1", 9001, java.net.URI.create("http://generator:9001/"))
                .countersUrl()).isEqualTo("http://generator:9001/counters");
    }

    @Test
    void generatorUrlThatIsNotAnHttpUrlIsRefusedNamingTheSetting() {
        Throwable error = catchThrowable(() -> environment(Map.of("GENERATOR_URL", "generator:9001"))
                .bindOrCreate("generator", GeneratorProperties.class));
        assertThat(rootMessage(error)).contains("generator.url (GENERATOR_URL)").contains("generator:9001");
    }
}
