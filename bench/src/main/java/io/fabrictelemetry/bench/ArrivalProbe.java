package io.fabrictelemetry.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * For bench/replicas.sh: how long after a payload arrived at the publisher each service serves the
 * snapshot built from it. One thread per service asks its {@code GetMetric} every {@code interval-ms}
 * with {@code If-None-Match} of the last {@code ETag} seen ({@code 304} while nothing changed); when an
 * answer is a {@code 200} with a new ETag, the snapshot's {@code collectedAt} (the publisher's arrival
 * time of the payload: the record's {@code collected-at} header, which a consumer serves as it is) is
 * subtracted from the time the answer was received. That is an upper bound; the lower bound is the
 * time the previous request (answered {@code 304}, or the first one) was sent. Both are written per
 * sample; the difference is the sample's resolution (the probe's interval plus one request). One clock:
 * every process runs on this machine, all with millisecond times.
 *
 * <pre>java -cp bench/target/benchmarks.jar io.fabrictelemetry.bench.ArrivalProbe seconds interval-ms samples.tsv name=url [name=url ...]</pre>
 * Writes the samples (tab-separated) and prints one summary line per service:
 * {@code name samples=N p50=… p90=… max=… min=… lower_p50=… resolution_mean=… requests=N not_modified=N errors=N}
 * (milliseconds). The first snapshot each service serves is not a sample (when it was first served is
 * unknown), nor one seen after a failed request.
 */
public final class ArrivalProbe {

    private static final Pattern COLLECTED_AT = Pattern.compile("\"collectedAt\":\"([^\"]+)\"");

    record Sample(String target, String etag, Instant collectedAt, long upperMs, long lowerMs) {
    }

    static final class Target implements Runnable {
        final String name;
        final URI uri;
        final long deadlineNanos;
        final long maxRequests;
        final long intervalMs;
        final HttpClient http;
        final List<Sample> samples = new ArrayList<>();
        long requests;
        long notModified;
        long errors;
        String lastError = "";

        /** A probe that asks until {@code deadlineNanos} ({@link System#nanoTime()}): the command line's. */
        Target(String name, URI uri, long deadlineNanos, long intervalMs, HttpClient http) {
            this(name, uri, deadlineNanos, Long.MAX_VALUE, intervalMs, http);
        }

        /**
         * A probe that stops after {@code maxRequests} requests (failed ones included, each bounded by its
         * own timeout): what it sees then depends on the answers, not on how fast they come.
         */
        static Target forRequests(String name, URI uri, long maxRequests, long intervalMs, HttpClient http) {
            return new Target(name, uri, Long.MAX_VALUE, maxRequests, intervalMs, http);
        }

        private Target(String name, URI uri, long deadlineNanos, long maxRequests, long intervalMs, HttpClient http) {
            this.name = name;
            this.uri = uri;
            this.deadlineNanos = deadlineNanos;
            this.maxRequests = maxRequests;
            this.intervalMs = intervalMs;
            this.http = http;
        }

        @Override
        public void run() {
            String etag = null;
            long previousSent = -1; // -1: the previous request failed, or there was none
            while (requests < maxRequests && (deadlineNanos == Long.MAX_VALUE || System.nanoTime() - deadlineNanos < 0)) {
                long sent = System.currentTimeMillis();
                HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET();
                if (etag != null) {
                    request.header("If-None-Match", etag);
                }
                try {
                    HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                    long received = System.currentTimeMillis();
                    requests++;
                    if (answer.statusCode() == 304) {
                        notModified++;
                    } else if (answer.statusCode() == 200) {
                        String tag = answer.headers().firstValue("ETag").orElse(null);
                        Matcher collected = COLLECTED_AT.matcher(answer.body());
                        if (tag == null || !collected.find()) {
                            errors++;
                            lastError = "200 without an ETag or a collectedAt: " + answer.body();
                            sent = -1;
                        } else {
                            if (etag != null && !tag.equals(etag) && previousSent >= 0) {
                                Instant at = Instant.parse(collected.group(1));
                                samples.add(new Sample(name, tag, at, received - at.toEpochMilli(), previousSent - at.toEpochMilli()));
                            }
                            etag = tag;
                        }
                    } else {
                        errors++;
                        lastError = answer.statusCode() + ": " + answer.body();
                        sent = -1;
                    }
                } catch (IOException e) {
                    requests++;
                    errors++;
                    lastError = String.valueOf(e);
                    sent = -1;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                previousSent = sent;
                try {
                    Thread.sleep(intervalMs); // a command-line client's own thread, never an event loop
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private ArrivalProbe() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: ArrivalProbe seconds interval-ms samples.tsv name=url [name=url ...]");
            System.exit(2);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(Long.parseLong(args[0])).toNanos();
        long interval = Long.parseLong(args[1]);
        Path out = Path.of(args[2]);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        List<Target> targets = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 3; i < args.length; i++) {
            int equals = args[i].indexOf('=');
            Target target = new Target(args[i].substring(0, equals), URI.create(args[i].substring(equals + 1)),
                    deadline, interval, http);
            targets.add(target);
            Thread thread = new Thread(target, "probe-" + target.name);
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        try (PrintWriter tsv = new PrintWriter(Files.newBufferedWriter(out, StandardCharsets.UTF_8))) {
            tsv.println("target\tetag\tcollected_at\tserved_by_ms\tnot_yet_at_ms\tresolution_ms");
            for (Target target : targets) {
                for (Sample s : target.samples) {
                    tsv.printf(Locale.ROOT, "%s\t%s\t%s\t%d\t%d\t%d%n", s.target(), s.etag(), s.collectedAt(), s.upperMs(),
                            s.lowerMs(), s.upperMs() - s.lowerMs());
                }
            }
        }
        for (Target target : targets) {
            List<Long> upper = new ArrayList<>();
            List<Long> lower = new ArrayList<>();
            long resolution = 0;
            for (Sample s : target.samples) {
                upper.add(s.upperMs());
                lower.add(s.lowerMs());
                resolution += s.upperMs() - s.lowerMs();
            }
            Collections.sort(upper);
            Collections.sort(lower);
            int n = upper.size();
            System.out.printf(Locale.ROOT,
                    "%s samples=%d p50=%s p90=%s max=%s min=%s lower_p50=%s resolution_mean=%s requests=%d not_modified=%d errors=%d%s%n",
                    target.name, n, percentile(upper, 0.5), percentile(upper, 0.9), n == 0 ? "-" : upper.get(n - 1),
                    n == 0 ? "-" : upper.get(0), percentile(lower, 0.5),
                    n == 0 ? "-" : String.format(Locale.ROOT, "%.1f", (double) resolution / n), target.requests,
                    target.notModified, target.errors, target.errors == 0 ? "" : " last_error=" + target.lastError.replace('\n', ' '));
        }
    }

    /** The nearest-rank percentile of sorted values, or "-" when there are none. */
    static String percentile(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return "-";
        }
        int rank = (int) Math.ceil(p * sorted.size());
        return String.valueOf(sorted.get(Math.max(0, rank - 1)));
    }
}
