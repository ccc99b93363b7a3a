package io.fabrictelemetry.metrics;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

@SpringBootApplication
public class MetricsApplication {
    public static void main(String[] args) {
        new SpringApplicationBuilder(MetricsApplication.class).run(args);
    }
}
