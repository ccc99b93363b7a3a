package io.fabrictelemetry.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.FileSystemResource;

import io.fabrictelemetry.metrics.kafka.KafkaSettings;

/**
 * {@code config/metrics-service.yml} is read from the working directory by {@code ./run.sh}, by a
 * service started from the repository's root and by the Docker image, and says of itself "The
 * values below are the built-in defaults". A default changed in code but not in the file would
 * silently win over the new default wherever the file is read (it did: the UFM counter patterns of
 * METRICS_COUNTERS, issue 22, left port rows without rates or sums under ./run.sh). Each
 * configuration record bound from the file equals the record bound from nothing.
 */
class ShippedConfigFileTests {

    private static final Path FILE = Path.of("..", "config", "metrics-service.yml");

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "metrics, io.fabrictelemetry.metrics.snapshot.CounterProperties",
            "metrics.server, io.fabrictelemetry.metrics.server.ConnectionLimits",
            "stale, io.fabrictelemetry.metrics.snapshot.StaleProperties",
            "history, io.fabrictelemetry.metrics.history.HistoryProperties",
            "generator, io.fabrictelemetry.metrics.ingest.GeneratorProperties",
            "poll, io.fabrictelemetry.metrics.ingest.PollProperties",
            "stream, io.fabrictelemetry.metrics.stream.StreamProperties",
            "tracing, io.fabrictelemetry.conventions.tracing.TracingProperties"})
    void theShippedFileHoldsTheBuiltInDefaults(String prefix, String recordClass) throws Exception {
        Class<?> type = Class.forName(recordClass);
        Object fromFile = binder(fileSources()).bindOrCreate(prefix, Bindable.of(type));
        Object builtIn = binder(List.of()).bindOrCreate(prefix, Bindable.of(type));
        assertThat(fromFile).as("%s bound from %s", type.getSimpleName(), FILE).isEqualTo(builtIn);
    }

    /** The Kafka settings span three prefixes (ingest, kafka, source) and are bound with a Binder. */
    @Test
    void theShippedFileHoldsTheBuiltInKafkaDefaults() throws Exception {
        String polled = "http://127.0.0.1:9001/counters";
        assertThat(KafkaSettings.bind(binder(fileSources()), polled)).as("KafkaSettings bound from %s", FILE)
                .isEqualTo(KafkaSettings.bind(binder(List.of()), polled));
    }

    private static List<PropertySource<?>> fileSources() throws IOException {
        assertThat(Files.isRegularFile(FILE)).as("%s exists", FILE.toAbsolutePath()).isTrue();
        return new YamlPropertySourceLoader().load("shipped", new FileSystemResource(FILE));
    }

    private static Binder binder(List<PropertySource<?>> sources) {
        return new Binder(ConfigurationPropertySources.from(sources));
    }
}
