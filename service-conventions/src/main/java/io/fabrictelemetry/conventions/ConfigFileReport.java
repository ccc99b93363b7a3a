package io.fabrictelemetry.conventions;

import java.nio.file.Files;
import java.nio.file.Path;

import org.slf4j.Logger;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;

/**
 * Says once at startup whether the service's configuration file was there to be read, so that an
 * operator knows whether its settings apply or only the built-in defaults and the environment.
 */
public final class ConfigFileReport implements ApplicationRunner {

    private final Path file;
    private final Logger log;

    /**
     * @param location the file's path as configured (relative to the working directory, or absolute)
     * @param log      the logger the line is written to: the application's own
     */
    public ConfigFileReport(String location, Logger log) {
        this.file = Path.of(location).toAbsolutePath();
        this.log = log;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (Files.isRegularFile(file)) {
            log.info("Configuration read from {}", file);
        } else {
            log.info("No configuration file at {}: built-in defaults and environment variables apply", file);
        }
    }
}
