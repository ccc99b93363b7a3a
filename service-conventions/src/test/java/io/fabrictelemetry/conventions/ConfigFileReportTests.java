package io.fabrictelemetry.conventions;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.springframework.boot.DefaultApplicationArguments;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

@ExtendWith(OutputCaptureExtension.class)
class ConfigFileReportTests {

    @Test
    void saysWhichFileWasRead(@TempDir Path dir, CapturedOutput output) throws IOException {
        Path file = Files.writeString(dir.resolve("service.yml"), "a: 1\n");
        new ConfigFileReport(file.toString(), LoggerFactory.getLogger("report")).run(new DefaultApplicationArguments());
        assertThat(output).contains("Configuration read from " + file.toAbsolutePath());
    }

    @Test
    void saysWhenThereIsNoFile(@TempDir Path dir, CapturedOutput output) {
        Path missing = dir.resolve("missing.yml");
        new ConfigFileReport(missing.toString(), LoggerFactory.getLogger("report")).run(new DefaultApplicationArguments());
        assertThat(output).contains("No configuration file at " + missing.toAbsolutePath()
                + ": built-in defaults and environment variables apply");
    }
}
