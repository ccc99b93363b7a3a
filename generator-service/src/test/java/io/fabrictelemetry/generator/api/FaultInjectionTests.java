package io.fabrictelemetry.generator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.web.reactive.server.WebTestClient;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;

class FaultInjectionTests {

    private static final String CSV = "switch_id,a,b\r\nsw-0001,1,2.5\r\nsw-0002,3,4.5\r\n";

    @Test
    void faultsAreOffByDefault() {
        FaultInjector injector = new FaultInjector(new FaultProperties(0, Duration.ZERO, 1, 0, 0));
        for (int i = 0; i < 1000; i++) {
            assertThat(injector.error()).isFalse();
            assertThat(injector.truncate()).isFalse();
            assertThat(injector.corrupt()).isFalse();
            assertThat(injector.delay()).isZero();
        }
    }

    @Test
    void aRateInjectsRoughlyThatFractionOfRequests() {
        FaultInjector injector = new FaultInjector(new FaultProperties(0.25, Duration.ZERO, 1, 0, 0), new Random(3));
        int errors = 0;
        for (int i = 0; i < 10_000; i++) {
            errors += injector.error() ? 1 : 0;
        }
        assertThat(errors).isBetween(2_200, 2_800);
    }

    @Test
    void corruptRowDamagesExactlyOneDataRowAndKeepsTheHeader() {
        FaultInjector injector = new FaultInjector(new FaultProperties(0, Duration.ZERO, 1, 0, 1), new Random(1));
        for (int attempt = 0; attempt < 20; attempt++) {
            String corrupted = new String(injector.corruptRow(CSV.getBytes(StandardCharsets.US_ASCII)),
                    StandardCharsets.US_ASCII);
            List<CsvRecord> rows = new ArrayList<>();
            CsvReader.builder().allowExtraFields(true).allowMissingFields(true).ofCsvRecord(corrupted)
                    .forEach(rows::add);
            assertThat(rows.get(0).getFields()).containsExactly("switch_id", "a", "b");
            long damaged = rows.stream().skip(1)
                    .filter(r -> r.getFieldCount() != 3 || r.getFields().contains("#corrupt#")).count();
            assertThat(damaged).isEqualTo(1);
        }
    }

    @Test
    void corruptRowReachesEveryDataRowWithBothKindsOfDamageAndLeavesTheRestByteForByte() {
        FaultInjector injector = new FaultInjector(new FaultProperties(0, Duration.ZERO, 1, 0, 1), new Random(2));
        String csv = "h1,h2\r\na,1\r\nb,2\r\nc,3\r\n";
        java.util.Set<String> outcomes = new java.util.HashSet<>();
        for (int attempt = 0; attempt < 200; attempt++) {
            String corrupted = new String(injector.corruptRow(csv.getBytes(StandardCharsets.US_ASCII)),
                    StandardCharsets.US_ASCII);
            List<String> lines = List.of(corrupted.split("\r\n", -1));
            List<String> original = List.of(csv.split("\r\n", -1));
            assertThat(lines).hasSameSizeAs(original);
            int damaged = 0;
            for (int i = 0; i < lines.size(); i++) {
                if (!lines.get(i).equals(original.get(i))) {
                    damaged++;
                    assertThat(i).isBetween(1, 3);
                    assertThat(lines.get(i)).isIn(original.get(i).substring(0, 1),
                            original.get(i).substring(0, 1) + ",#corrupt#");
                    outcomes.add(lines.get(i));
                }
            }
            assertThat(damaged).isEqualTo(1);
        }
        assertThat(outcomes).containsExactlyInAnyOrder("a", "b", "c", "a,#corrupt#", "b,#corrupt#", "c,#corrupt#");
    }

    @Test
    void corruptRowReadsOnlyTheBodysBytesOfABufferLargerThanTheBody() {
        FaultInjector injector = new FaultInjector(new FaultProperties(0, Duration.ZERO, 1, 0, 1), new Random(4));
        byte[] body = CSV.getBytes(StandardCharsets.US_ASCII);
        // past the body, what an earlier, longer generation left in a reused buffer: rows too
        byte[] padding = "sw-9999,7,7.5\r\n".repeat(20).getBytes(StandardCharsets.US_ASCII);
        byte[] buffer = java.util.Arrays.copyOf(body, body.length + padding.length);
        System.arraycopy(padding, 0, buffer, body.length, padding.length);
        for (int attempt = 0; attempt < 40; attempt++) {
            String corrupted = new String(injector.corruptRow(buffer, body.length), StandardCharsets.US_ASCII);
            assertThat(corrupted).doesNotContain("sw-9999").startsWith("switch_id,a,b\r\n").endsWith("\r\n");
            List<String> rows = List.of(corrupted.split("\r\n"));
            assertThat(rows).hasSize(3);
            assertThat(rows.subList(1, 3)).as("exactly one of the body's rows damaged")
                    .filteredOn(row -> !CSV.contains(row + "\r\n")).hasSize(1);
        }
    }

    @Test
    void rateOutsideZeroToOneIsRefusedNamingTheSetting() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new FaultProperties(1.5, Duration.ZERO, 1, 0, 0))
                .withMessageContaining("generator.faults.error-rate").withMessageContaining("1.5");
    }

    @Nested
    @SpringBootTest(properties = {"generator.switches=3", "generator.period=1h", "generator.faults.error-rate=1"})
    @AutoConfigureWebTestClient
    class WhenEveryRequestFails {
        @Autowired
        WebTestClient client;

        @Test
        void answersInternalServerError() {
            client.get().uri("/counters").exchange().expectStatus().isEqualTo(500);
        }

        @Test
        void answersInternalServerErrorOnThePortViewAlike() {
            client.get().uri("/csv/metrics").exchange().expectStatus().isEqualTo(500);
        }
    }

    @Nested
    @SpringBootTest(properties = {"generator.switches=3", "generator.period=1h", "generator.faults.corrupt-rate=1"})
    @AutoConfigureWebTestClient
    class WhenEveryResponseIsCorrupt {
        @Autowired
        WebTestClient client;

        @Test
        void servesADamagedRowUnderItsOwnEtag() {
            client.get().uri("/counters").exchange()
                    .expectStatus().isOk()
                    .expectHeader().value("ETag", etag -> assertThat(etag).endsWith("-corrupt\""))
                    .expectBody(String.class)
                    .value(body -> assertThat(body.lines().skip(1)
                            .filter(line -> line.contains("#corrupt#") || line.split(",", -1).length != 9))
                            .hasSize(1));
        }

        @Test
        void servesADamagedPortRowUnderTheTagOfThePortViewAndCorrupt() {
            client.get().uri("/csv/metrics").exchange()
                    .expectStatus().isOk()
                    .expectHeader().value("ETag", etag -> assertThat(etag).endsWith("-ports-corrupt\""))
                    .expectBody(String.class)
                    .value(body -> {
                        assertThat(body).startsWith("timestamp,source_id,");
                        assertThat(body.lines().skip(1)).hasSize(3 * 40);
                        assertThat(body.lines().skip(1)
                                .filter(line -> line.contains("#corrupt#") || line.split(",", -1).length != 32))
                                .hasSize(1);
                    });
        }
    }

    @Nested
    @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
            properties = {"generator.switches=2000", "generator.period=1h", "generator.faults.truncate-rate=1",
                    "server.address=127.0.0.1"})
    class WhenEveryBodyIsTruncated {
        @LocalServerPort
        int port;

        @Test
        void closesTheConnectionBeforeTheAnnouncedLength() throws IOException {
            assertTruncated("/counters");
        }

        @Test
        void closesThePortViewsConnectionBeforeTheAnnouncedLengthAlike() throws IOException {
            assertTruncated("/csv/metrics");
        }

        private void assertTruncated(String path) throws IOException {
            // over a raw socket, to see exactly what a client gets: a 200 announcing N bytes, fewer, then EOF
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                byte[] response = socket.getInputStream().readAllBytes(); // until the generator closes
                String text = new String(response, StandardCharsets.ISO_8859_1);
                int headersEnd = text.indexOf("\r\n\r\n");
                assertThat(headersEnd).as("a complete header block").isPositive();
                String headers = text.substring(0, headersEnd);
                assertThat(headers).startsWith("HTTP/1.1 200");
                Matcher announced = Pattern.compile("(?im)^content-length:\\s*(\\d+)").matcher(headers);
                assertThat(announced.find()).as("Content-Length in %s", headers).isTrue();
                int received = response.length - headersEnd - 4;
                assertThat(received).isPositive().isLessThan(Integer.parseInt(announced.group(1)));
            }
        }
    }

    @Nested
    @SpringBootTest(properties = {"generator.switches=3", "generator.period=1h", "generator.faults.delay=300ms"})
    @AutoConfigureWebTestClient(timeout = "10s")
    class WhenEveryResponseIsDelayed {
        @Autowired
        WebTestClient client;

        @Test
        void stillAnswersAfterTheDelay() {
            for (String path : List.of("/counters", "/csv/metrics")) {
                long start = System.nanoTime();
                client.get().uri(path).exchange().expectStatus().isOk();
                assertThat(Duration.ofNanos(System.nanoTime() - start)).as(path)
                        .isGreaterThanOrEqualTo(Duration.ofMillis(300));
            }
        }
    }
}
