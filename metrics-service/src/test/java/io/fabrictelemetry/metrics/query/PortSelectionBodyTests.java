package io.fabrictelemetry.metrics.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;

import io.fabrictelemetry.metrics.snapshot.PortView;
import io.fabrictelemetry.metrics.snapshot.Snapshot;
import io.fabrictelemetry.metrics.snapshot.SnapshotStore;
import io.fabrictelemetry.metrics.snapshot.StaleProperties;

/**
 * Selections of port rows: how many values they hold (the switches' and their ports') and the
 * estimate of their bodies' size, which decides whether a body is encoded on the event loop, over
 * random fabrics (1 to 48 ports a switch, descriptions or none, non-ASCII ones, rates) and random
 * selections ({@code ports=false} among them): the estimate lies between three quarters and three times the body (plus its
 * allowance for the envelope), as on switch rows ({@code SelectionBodyTests}).
 */
class PortSelectionBodyTests {

    private static final Instant T0 = Instant.parse("2026-12-07T06:00:00Z");
    private static final List<String> METRICS = List.of("Infiniband_SymbolErrors_u_Errors", "Infiniband_CBW_f_u_Gbps",
            "temperature");

    private static String csv(SplittableRandom random, int switches, int[] ports, String[] descriptions, Instant at) {
        long micros = ChronoUnit.MICROS.between(Instant.EPOCH, at);
        StringBuilder csv = new StringBuilder("timestamp,source_id,tag,node_guid,port_guid,port_num,node_description,"
                + String.join(",", METRICS) + "\n");
        for (int s = 0; s < switches; s++) {
            String guid = String.format("0x0002c903%08x", s);
            for (int p = 1; p <= ports[s]; p++) {
                csv.append(micros).append(",ufm,,").append(guid).append(',').append(guid).append(',').append(p).append(',')
                        .append(descriptions[s]).append(',')
                        .append(random.nextInt(6) == 0 ? "" : Long.toString(random.nextLong(1L << random.nextInt(1, 40))))
                        .append(',').append(random.nextInt(6) == 0 ? "" : random.nextInt(1_000_000) / 1000.0)
                        .append(',').append(random.nextInt(90)).append('\n');
            }
        }
        return csv.toString();
    }

    private static Snapshot fabric(SplittableRandom random) {
        int switches = 1 + random.nextInt(40);
        int[] ports = new int[switches];
        String[] descriptions = new String[switches];
        for (int s = 0; s < switches; s++) {
            ports[s] = 1 + random.nextInt(48);
            descriptions[s] = switch (random.nextInt(3)) {
                case 0 -> "";
                case 1 -> "leaf-" + s;
                default -> "\u4ea4\u6362\u673a-" + s + "-" + "x".repeat(random.nextInt(60));
            };
        }
        SnapshotStore store = new SnapshotStore(new StaleProperties(Duration.ofHours(1)));
        // twice: the second snapshot has the counters' rates
        store.publish(PortFabric.table(csv(random, switches, ports, descriptions, T0)), T0, T0, null);
        Instant next = T0.plusSeconds(10);
        return store.publish(PortFabric.table(csv(random, switches, ports, descriptions, next)), next, next, null);
    }

    @Test
    void cellsCountTheSelectedSwitchesAndTheirPorts() {
        SplittableRandom random = new SplittableRandom(5);
        for (int round = 0; round < 20; round++) {
            Snapshot snapshot = fabric(random);
            PortView ports = snapshot.ports();
            int row = random.nextInt(snapshot.switchCount());
            int metrics = snapshot.metrics().size();
            MultiValueMap<String, String> query = new LinkedMultiValueMap<>();
            query.add("switch", snapshot.switchId(row));
            assertThat(ListMetricsFilter.parse(query).select(snapshot).cells())
                    .isEqualTo((1L + ports.endPort(row) - ports.firstPort(row)) * metrics);
            query.add("metric", snapshot.metrics().get(0));
            assertThat(ListMetricsFilter.parse(query).select(snapshot).cells()).isEqualTo(1L + ports.endPort(row) - ports.firstPort(row));
            MultiValueMap<String, String> byMetric = new LinkedMultiValueMap<>();
            byMetric.add("metric", snapshot.metrics().get(1));
            assertThat(ListMetricsFilter.parse(byMetric).select(snapshot).cells())
                    .isEqualTo((long) snapshot.switchCount() + ports.portCount());
            // without the ports: the switches' alone
            byMetric.add("ports", "false");
            assertThat(ListMetricsFilter.parse(byMetric).select(snapshot).cells()).isEqualTo(snapshot.switchCount());
        }
    }

    @Test
    void estimatedBytesStaysCloseToTheBodysSizePortsAndDescriptionsIncluded() {
        SplittableRandom random = new SplittableRandom(34);
        int compared = 0;
        for (int round = 0; round < 20; round++) {
            Snapshot snapshot = fabric(random);
            assertThat(snapshot.metrics()).contains(METRICS.get(0) + Snapshot.RATE_SUFFIX);
            for (int pick = 0; pick < 30; pick++) {
                MultiValueMap<String, String> query = new LinkedMultiValueMap<>();
                if (random.nextInt(3) > 0) {
                    int count = 1 + random.nextInt(10);
                    for (int i = 0; i < count; i++) {
                        int row = random.nextInt(snapshot.switchCount());
                        String description = snapshot.description(row);
                        // by GUID, in another case, or by a description that names it alone
                        query.add("switch", description != null && random.nextBoolean() && snapshot.switchRow(description) == row
                                ? description : random.nextBoolean() ? snapshot.switchId(row) : snapshot.switchId(row).toUpperCase());
                    }
                }
                if (random.nextInt(3) > 0) {
                    query.add("metric", snapshot.metrics().get(random.nextInt(snapshot.metrics().size())));
                }
                if (random.nextInt(4) == 0) {
                    query.add("ports", "false");
                }
                ListMetricsFilter.Selection selection = ListMetricsFilter.parse(query).select(snapshot);
                if (selection.isUnfiltered()) {
                    continue;
                }
                long actual = selection.body().remaining();
                assertThat(selection.estimatedBytes()).as("%s: %s", query,
                                StandardCharsets.UTF_8.decode(selection.body()))
                        .isGreaterThanOrEqualTo(actual * 3 / 4)
                        .isLessThanOrEqualTo(3 * actual + 256);
                compared++;
            }
        }
        assertThat(compared).isGreaterThan(300);
    }
}
