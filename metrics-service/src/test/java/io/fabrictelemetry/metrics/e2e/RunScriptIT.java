package io.fabrictelemetry.metrics.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code ./run.sh} as a user runs it, on free ports and without class-data sharing (its archives
 * take a training run per build; {@code JAVA_CDS=false} keeps this test to one start per case).
 * Ctrl-C and SIGTERM share one trap in the script; SIGTERM is what a test can send reliably (a
 * process started in the background may inherit an ignored SIGINT).
 */
class RunScriptIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern PID = Pattern.compile("(generator-service|metrics-service)\\s+\\(pid (\\d+)\\)");

    private Process script;
    private Thread reader;
    private final List<String> output = new ArrayList<>();
    private final List<Long> pids = new ArrayList<>();

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private void start(Map<String, String> environment) throws IOException {
        assertThat(ROOT.resolve("run.sh")).isExecutable();
        ProcessBuilder builder = new ProcessBuilder("./run.sh").directory(ROOT.toFile()).redirectErrorStream(true);
        builder.environment().putAll(Map.of("JAVA_CDS", "false", "JAVA_OPTS", "-Xmx128m -XX:TieredStopAtLevel=1"));
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

    @AfterEach
    void stopEverything() throws InterruptedException {
        if (script != null && script.isAlive()) {
            script.toHandle().destroy();
            script.waitFor(60, TimeUnit.SECONDS);
        }
        synchronized (output) {
            pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        }
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
        start(Map.of("GENERATOR_PORT", Integer.toString(generatorPort), "METRICS_SERVER_PORT",
                Integer.toString(freePort()), "GENERATOR_HOST", "0.0.0.0"));
        awaitReady();
        String metricsLog = Files.readString(ROOT.resolve("logs/metrics-service.log"));
        assertThat(metricsLog).contains("Polling http://127.0.0.1:" + generatorPort + "/counters");

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
