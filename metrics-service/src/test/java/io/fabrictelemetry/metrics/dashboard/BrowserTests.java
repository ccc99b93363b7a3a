package io.fabrictelemetry.metrics.dashboard;

import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Whether the dashboard's browser tests can run here, and whether they must.
 *
 * <p>They run whenever Chromium and ChromeDriver are found: {@code CHROMIUM_BIN} and
 * {@code CHROMEDRIVER_BIN} when set, otherwise the usual places on Debian and macOS. Without them a
 * developer's {@code ./mvnw -B verify} skips them (skipped, not passed) and says so in one line.
 * They are required, and a missing browser fails every one of them, when {@code CI=true} is in the
 * environment ({@code .ci/run}) or {@code -Dbrowser.tests=required} is given.
 */
final class BrowserTests implements ExecutionCondition {

    static final String REQUIRED_PROPERTY = "browser.tests";

    private static final List<String> CHROMIUM = List.of("/usr/bin/chromium",
            "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
            "/Applications/Chromium.app/Contents/MacOS/Chromium");
    private static final List<String> CHROMEDRIVER = List.of("/usr/bin/chromedriver",
            "/opt/homebrew/bin/chromedriver", "/usr/local/bin/chromedriver");

    private static final AtomicBoolean said = new AtomicBoolean();

    /** The two executables a browser test drives. */
    record Binaries(Path chromium, Path chromedriver) {
    }

    /** What the environment provides, looked up once per call (cheap: a few stat calls). */
    static Lookup lookup() {
        return lookup(System.getenv(), System.getProperties().entrySet().stream()
                .collect(java.util.stream.Collectors.toMap(e -> String.valueOf(e.getKey()), e -> String.valueOf(e.getValue()))));
    }

    static Lookup lookup(Map<String, String> environment, Map<String, String> properties) {
        Found chromium = find(environment, "CHROMIUM_BIN", CHROMIUM);
        Found chromedriver = find(environment, "CHROMEDRIVER_BIN", CHROMEDRIVER);
        boolean ci = "true".equalsIgnoreCase(environment.getOrDefault("CI", "").trim());
        boolean property = "required".equalsIgnoreCase(properties.getOrDefault(REQUIRED_PROPERTY, "").trim());
        String requiredBy = ci ? "CI=true" : property ? "-D" + REQUIRED_PROPERTY + "=required" : null;
        return new Lookup(chromium, chromedriver, requiredBy);
    }

    record Found(@Nullable Path path, String missing) {
    }

    private static Found find(Map<String, String> environment, String variable, List<String> usual) {
        String configured = environment.get(variable);
        if (configured != null && !configured.isBlank()) {
            Path path = Path.of(configured);
            return Files.isExecutable(path) ? new Found(path, "")
                    : new Found(null, variable + "=" + configured + " is not an executable file");
        }
        for (String candidate : usual) {
            if (Files.isExecutable(Path.of(candidate))) {
                return new Found(Path.of(candidate), "");
            }
        }
        return new Found(null, variable + " unset, none at " + String.join(", ", usual));
    }

    /** The outcome of one lookup: the binaries, or why they are missing and whether that fails the tests. */
    record Lookup(Found chromium, Found chromedriver, @Nullable String requiredBy) {

        Optional<Binaries> binaries() {
            return chromium.path() == null || chromedriver.path() == null ? Optional.empty()
                    : Optional.of(new Binaries(chromium.path(), chromedriver.path()));
        }

        String missing() {
            return chromium.path() == null && chromedriver.path() == null
                    ? "Chromium (" + chromium.missing() + ") and ChromeDriver (" + chromedriver.missing() + ")"
                    : chromium.path() == null ? "Chromium (" + chromium.missing() + ")"
                    : "ChromeDriver (" + chromedriver.missing() + ")";
        }
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        ConditionEvaluationResult result = evaluate(lookup());
        if (result.isDisabled() && said.compareAndSet(false, true)) {
            sayOnTheBuildConsole(result.getReason().orElseThrow());
        }
        return result;
    }

    static ConditionEvaluationResult evaluate(Lookup lookup) {
        if (lookup.binaries().isPresent()) {
            return ConditionEvaluationResult.enabled("Chromium and ChromeDriver found");
        }
        if (lookup.requiredBy() != null) {
            // enabled: each test then fails in HeadlessChromium.start, saying what is missing
            return ConditionEvaluationResult.enabled("browser tests required (" + lookup.requiredBy() + ")");
        }
        String line = "Dashboard browser tests (*BrowserIT) SKIPPED: " + lookup.missing() + " not found. To run them: "
                + "apt-get install chromium chromium-driver (Debian), brew install --cask chromium chromedriver (macOS), "
                + "or set CHROMIUM_BIN and CHROMEDRIVER_BIN. CI=true or -D" + REQUIRED_PROPERTY
                + "=required makes this a failure.";
        return ConditionEvaluationResult.disabled(line);
    }

    /**
     * Surefire and Failsafe write what a test prints to a file (redirectTestOutputToFile), so the line
     * goes to the forked JVM's own standard error, which Maven copies to its console.
     */
    private static void sayOnTheBuildConsole(String line) {
        try {
            OutputStream err = new FileOutputStream(java.io.FileDescriptor.err);
            PrintStream console = new PrintStream(err, true, StandardCharsets.UTF_8);
            console.println("[WARNING] " + line);
        } catch (RuntimeException e) {
            System.err.println(line);
        }
    }
}
