package io.fabrictelemetry.metrics.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When the browser tests run, skip or fail: decided from the environment alone, no browser needed. */
class BrowserTestsTests {

    private static final Map<String, String> BOGUS = Map.of("CHROMIUM_BIN", "/nonexistent/chromium",
            "CHROMEDRIVER_BIN", "/nonexistent/chromedriver");

    @Test
    void aMissingBrowserSkipsTheTestsAndSaysHowToRunThem() {
        BrowserTests.Lookup lookup = BrowserTests.lookup(BOGUS, Map.of());
        assertThat(lookup.binaries()).isEmpty();
        assertThat(lookup.requiredBy()).isNull();
        var result = BrowserTests.evaluate(lookup);
        assertThat(result.isDisabled()).isTrue();
        assertThat(result.getReason()).hasValueSatisfying(reason -> assertThat(reason)
                .contains("SKIPPED", "CHROMIUM_BIN=/nonexistent/chromium is not an executable file",
                        "apt-get install chromium chromium-driver", "-Dbrowser.tests=required"));
    }

    @Test
    void aMissingBrowserFailsTheTestsWhenCiIsTrue() {
        var environment = new java.util.HashMap<>(BOGUS);
        environment.put("CI", "true");
        BrowserTests.Lookup lookup = BrowserTests.lookup(environment, Map.of());
        assertThat(lookup.requiredBy()).isEqualTo("CI=true");
        // enabled: the test runs, and HeadlessChromium.start fails it, saying what is missing
        assertThat(BrowserTests.evaluate(lookup).isDisabled()).isFalse();
    }

    @Test
    void aMissingBrowserFailsTheTestsWhenTheyAreRequiredByProperty() {
        BrowserTests.Lookup lookup = BrowserTests.lookup(BOGUS, Map.of("browser.tests", "required"));
        assertThat(lookup.requiredBy()).isEqualTo("-Dbrowser.tests=required");
        assertThat(BrowserTests.evaluate(lookup).isDisabled()).isFalse();
    }

    @Test
    void executablesNamedByTheEnvironmentAreUsed(@TempDir Path directory) throws IOException {
        Path chromium = executable(directory.resolve("chromium"));
        Path chromedriver = executable(directory.resolve("chromedriver"));
        BrowserTests.Lookup lookup = BrowserTests.lookup(Map.of("CHROMIUM_BIN", chromium.toString(),
                "CHROMEDRIVER_BIN", chromedriver.toString()), Map.of());
        assertThat(lookup.binaries()).hasValue(new BrowserTests.Binaries(chromium, chromedriver));
        assertThat(BrowserTests.evaluate(lookup).isDisabled()).isFalse();
    }

    private static Path executable(Path file) throws IOException {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        return file;
    }
}
