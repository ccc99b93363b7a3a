package io.fabrictelemetry.generator;

import java.time.Clock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

import io.fabrictelemetry.conventions.ConfigFileReport;
import io.fabrictelemetry.conventions.tracing.TracingConfiguration;

@SpringBootApplication
@ConfigurationPropertiesScan
@Import(TracingConfiguration.class)
public class GeneratorApplication {

    private static final Logger log = LoggerFactory.getLogger(GeneratorApplication.class);

    public static void main(String[] args) {
        new SpringApplicationBuilder(GeneratorApplication.class).run(args);
    }

    /** The one source of time of every component; tests pass a fixed clock to the constructors instead. */
    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** Said once at startup, so that an operator knows whether the file was read. */
    @Bean
    ApplicationRunner configFileReport(@Value("${GENERATOR_CONFIG_FILE:config/generator.yml}") String location) {
        return new ConfigFileReport(location, log);
    }
}
