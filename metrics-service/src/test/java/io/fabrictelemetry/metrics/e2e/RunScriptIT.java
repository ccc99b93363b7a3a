package io.fabrictelemetry.metrics.e2e;

import static io.fabrictelemetry.metrics.e2e.ServiceJars.freePort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code ./run.sh} as a user runs it, on free ports and without class-data sharing (its archives
 * take a training run per build; {@code JAVA_CDS=false} keeps this test to one start per case).
 * Ctrl-C and SIGTERM share one trap in the script; SIGTERM is what a test can send reliably (a
 * process started in the background may inherit an ignored SIGINT).
 *
 * <p>It never disturbs a {@code ./run.sh} the user runs from the same checkout: the script gets an
 * environment of its own (the user's {@code GENERATOR_URL}, {@code METRICS_*}, {@code POLL_*},
 * {@code JAVA_OPTS}, ... are not passed on: only what finds {@code java} and the locale), its own
 * free loopback ports, its own logs directory under target/, no CDS (target/cds/ is left alone) and
 * {@code RUN_BUILD=false} (it never rebuilds the jars a running service may use).
 * {@code -Drun.sh.bash=/path/to/bash} runs the script with another bash (e.g. a bash 3.2 as macOS ships).
 */
class RunScriptIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    /** What the script inherits from this JVM's environment; everything else is left out. */
    private static final List<String> INHERITED = List.of("PATH", "HOME", "USER", "LANG", "LC_ALL", "LC_CTYPE", "TMPDIR");
    private static final Pattern PID = Pattern.compile("(generator-service|metrics-service)\\s+\\(pid (\\d+)\\)");

    private Process script;
    private Thread reader;
    private final List<String> output = new ArrayList<>();
    private final List<Long> pids = new ArrayList<>();
    private Path logs;
    private @Nullable String usersLogsBefore;

    private void start(Map<String, String> environment) throws IOException {
        assertThat(ROOT.resolve("run.sh")).isExecutable();
        usersLogsBefore = listing(ROOT.resolve("logs"));
        logs = Files.createTempDirectory(Files.createDirectories(Path.of("target", "run-sh-it")).toAbsolutePath(), "logs-");
        String bash = System.getProperty("run.sh.bash", "");
        ProcessBuilder builder = new ProcessBuilder(bash.isBlank() ? List.of("./run.sh") : List.of(bash, "run.sh"))
                .directory(ROOT.toFile()).redirectErrorStream(true);
        Map<String, String> inherited = new HashMap<>(builder.environment());
        builder.environment().clear();
        INHERITED.forEach(name -> {
            if (inherited.containsKey(name)) {
                builder.environment().put(name, inherited.get(name));
            }
        });
        // the JDK running this test is the one run.sh finds first
        Path javaHome = Path.of(System.getProperty("java.home"));
        builder.environment().put("JAVA_HOME", javaHome.toString());
        builder.environment().put("PATH", javaHome.resolve("bin") + File.pathSeparator + inherited.getOrDefault("PATH", "/usr/bin:/bin"));
        builder.environment().putAll(Map.of("JAVA_CDS", "false", "RUN_BUILD", "false", "LOGS_DIR", logs.toString(),
                "GENERATOR_HOST", "127.0.0.1", "METRICS_SERVER_HOST", "127.0.0.1",
                "JAVA_OPTS", "-Xmx128m -XX:TieredStopAtLevel=1"));
        builder.environment().putAll(environment);
        script = builder.start();
        reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(script.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    synchronized (output) {
                        output.add(line);
                        Matcher pid = PID.matcher(line);
                        if (pid.find()) {
                            pids.add(Long.parseLong(pid.group(2)));
                        }
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "run.sh-output");
        reader.setDaemon(true);
        reader.start();
    }

    private String output() {
        synchronized (output) {
            return String.join("\n", output);
        }
    }

    private long pidOf(String service) {
        synchronized (output) {
            for (String line : output) {
                Matcher pid = PID.matcher(line);
                if (pid.find() && pid.group(1).equals(service)) {
                    return Long.parseLong(pid.group(2));
                }
            }
        }
        throw new AssertionError("no pid of " + service + " in:\n" + output());
    }

    private void awaitReady() {
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200))
                .until(() -> output().contains("Ready.") || !script.isAlive());
        assertThat(output()).as("run.sh output").contains("Ready.");
    }

    private int exitCode() throws InterruptedException {
        assertThat(script.waitFor(90, TimeUnit.SECONDS)).as("run.sh ended; output:\n%s", output()).isTrue();
        reader.join(10_000); // the last lines, up to the end of the output
        return script.exitValue();
    }

    /** The names and sizes of the files in a directory, or null when there is none. */
    private static @Nullable String listing(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return null;
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.sorted().map(file -> file.getFileName() + " " + file.toFile().length()
                    + " " + file.toFile().lastModified()).collect(Collectors.joining("\n"));
        }
    }

    @AfterEach
    void stopEverything() throws InterruptedException, IOException {
        if (script != null && script.isAlive()) {
            script.toHandle().destroy();
            script.waitFor(60, TimeUnit.SECONDS);
        }
        synchronized (output) {
            pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        }
        // a ./run.sh the user runs from this checkout writes there: the test never does
        assertThat(listing(ROOT.resolve("logs"))).as("the repository's logs/ directory").isEqualTo(usersLogsBefore);
    }

    @Test
    void serviceThatFailsToStartMakesRunShExitNonZero() throws Exception {
        // a setting the metrics-service refuses at startup
        start(Map.of("GENERATOR_PORT", Integer.toString(freePort()), "METRICS_SERVER_PORT",
                Integer.toString(freePort()), "POLL_INTERVAL", "2s", "POLL_TIMEOUT", "5s"));
        assertThat(exitCode()).isNotZero();
        assertThat(output()).contains("A service exited during startup");
    }

    @Test
    void serviceThatStopsOnItsOwnMakesRunShExitNonZero() throws Exception {
        start(Map.of("GENERATOR_PORT", Integer.toString(freePort()), "METRICS_SERVER_PORT",
                Integer.toString(freePort())));
        awaitReady();
        ProcessHandle.of(pidOf("generator-service")).orElseThrow().destroyForcibly();
        assertThat(exitCode()).isNotZero();
        assertThat(output()).contains("A service stopped on its own");
        assertThat(ProcessHandle.of(pidOf("metrics-service")).map(ProcessHandle::isAlive).orElse(false))
                .as("metrics-service still running").isFalse();
    }

    @Test
    void sigtermStopsBothServicesExitsZeroAndTheBindAddressNeverBecomesThePollTarget() throws Exception {
        int generatorPort = freePort();
        // a bind address other than the poll target's 127.0.0.1, still loopback only
        start(Map.of("GENERATOR_PORT", Integer.toString(generatorPort), "METRICS_SERVER_PORT",
                Integer.toString(freePort()), "GENERATOR_HOST", "localhost"));
        awaitReady();
        String metricsLog = Files.readString(logs.resolve("metrics-service.log"));
        assertThat(metricsLog).contains("Polling http://127.0.0.1:" + generatorPort + "/counters");
        // JAVA_OPTS is set (start() sets it) and the flag is still given to both JVMs
        for (String service : List.of("generator-service", "metrics-service")) {
            assertThat(ProcessHandle.of(pidOf(service)).orElseThrow().info().arguments().map(List::of).orElse(List.of()))
                    .as(service + "'s JVM arguments").contains("-XX:+ExitOnOutOfMemoryError", "-Xmx128m");
        }

        // SIGTERM, the same trap as Ctrl-C; through the handle, because Process.destroy() also closes
        // the pipes, and the script's goodbye would then die of SIGPIPE
        script.toHandle().destroy();
        assertThat(exitCode()).isZero();
        assertThat(output()).contains("Stopped both services.");
        for (String service : List.of("generator-service", "metrics-service")) {
            assertThat(ProcessHandle.of(pidOf(service)).map(ProcessHandle::isAlive).orElse(false))
                    .as(service + " still running").isFalse();
        }
    }
}
