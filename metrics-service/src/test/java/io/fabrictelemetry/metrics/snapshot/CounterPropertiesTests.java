package io.fabrictelemetry.metrics.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** {@code METRICS_COUNTERS} bound as Spring Boot binds it, without a context. */
class CounterPropertiesTests {

    private static CounterProperties bind(Map<String, Object> variables) {
        var environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new SystemEnvironmentPropertySource("test-env", variables));
        return new Binder(ConfigurationPropertySources.get(environment)).bindOrCreate("metrics", CounterProperties.class);
    }

    private static String rootMessage(Throwable error) {
        while (error.getCause() != null) {
            error = error.getCause();
        }
        return error.getMessage();
    }

    @Test
    void defaultsAreTheGeneratorsCountersThenUfmsCountersByTheirUnit() {
        assertThat(bind(Map.of()).counters())
                .containsExactly("packet_errors", "dropped_packets", "link_down_count", "rx_bytes", "tx_bytes",
                        "*_u_Errors", "*_u_Packets", "*_u_Gb", "*_u_Ticks", "*_u_Drops", "*_u_count");
        assertThat(CounterProperties.defaults()).isEqualTo(bind(Map.of()));
    }

    @Test
    void defaultsMakeUfmsCountersCountersAndLeaveItsGaugesAndTheGeneratorsGaugesOut() {
        List<String> ufm = List.of("Infiniband_MBOut_u_Gb", "Infiniband_MBIn_u_Gb", "Infiniband_PckOut_u_Packets",
                "Infiniband_PckIn_u_Packets", "Infiniband_SymbolErrors_u_Errors", "Infiniband_LinkRecovers_u_Errors",
                "Infiniband_LinkDowned_u_Errors", "Infiniband_RcvErrors_u_Errors", "Infiniband_RcvRemotePhysErrors_u_Errors",
                "Infiniband_RcvSwRelayErrors_u_Errors", "Infiniband_XmtDiscards_u_Errors",
                "Infiniband_XmtConstraintErrors_u_Errors", "Infiniband_RcvConstraintErrors_u_Errors",
                "Infiniband_LinkIntegrityErrors_u_Errors", "Infiniband_ExcBufOverrunErrors_u_Errors",
                "Infiniband_VL15Dropped_u_Drops", "Infiniband_XmitWait_u_Ticks", "hist0_u_count", "hist1_u_count",
                "hist2_u_count", "hist3_u_count", "hist4_u_count", "Infiniband_CBW_f_u_Gbps",
                "Infiniband_Normalized_CBW_f_u_Percent", "Infiniband_Normalized_MBOut_f_u_Percent");
        int[] counters = CounterProperties.columns(CounterProperties.defaults().counters(), ufm);
        // in the order of the entries: *_u_Errors, *_u_Packets, *_u_Gb, *_u_Ticks, *_u_Drops, *_u_count
        assertThat(Arrays.stream(counters).mapToObj(ufm::get).toList()).containsExactly(
                "Infiniband_SymbolErrors_u_Errors", "Infiniband_LinkRecovers_u_Errors", "Infiniband_LinkDowned_u_Errors",
                "Infiniband_RcvErrors_u_Errors", "Infiniband_RcvRemotePhysErrors_u_Errors",
                "Infiniband_RcvSwRelayErrors_u_Errors", "Infiniband_XmtDiscards_u_Errors",
                "Infiniband_XmtConstraintErrors_u_Errors", "Infiniband_RcvConstraintErrors_u_Errors",
                "Infiniband_LinkIntegrityErrors_u_Errors", "Infiniband_ExcBufOverrunErrors_u_Errors",
                "Infiniband_PckOut_u_Packets", "Infiniband_PckIn_u_Packets", "Infiniband_MBOut_u_Gb",
                "Infiniband_MBIn_u_Gb", "Infiniband_XmitWait_u_Ticks", "Infiniband_VL15Dropped_u_Drops",
                "hist0_u_count", "hist1_u_count", "hist2_u_count", "hist3_u_count", "hist4_u_count");
        List<String> generator = List.of("bandwidth_gbps", "utilization_pct", "latency_us", "packet_errors",
                "dropped_packets", "link_state", "link_down_count", "temperature_c", "rx_bytes", "tx_bytes");
        assertThat(Arrays.stream(CounterProperties.columns(CounterProperties.defaults().counters(), generator))
                .mapToObj(generator::get).toList())
                .containsExactly("packet_errors", "dropped_packets", "link_down_count", "rx_bytes", "tx_bytes");
    }

    @Test
    void starMatchesAnyRunOfCharactersAndEverythingElseItself() {
        assertThat(CounterProperties.matches("*_u_Gb", "Infiniband_MBOut_u_Gb")).isTrue();
        assertThat(CounterProperties.matches("*_u_Gb", "_u_Gb")).isTrue();
        assertThat(CounterProperties.matches("*_u_Gb", "Infiniband_CBW_f_u_Gbps")).isFalse();
        assertThat(CounterProperties.matches("a*b*c", "aXbYbZc")).isTrue();
        assertThat(CounterProperties.matches("a*b*c", "aXbYcZ")).isFalse();
        assertThat(CounterProperties.matches("*", "")).isTrue();
        assertThat(CounterProperties.matches("x.y", "xzy")).isFalse(); // no regex: a dot is a dot
        assertThat(CounterProperties.matches("rx_*", "rx_bytes")).isTrue();
        assertThat(CounterProperties.matches("rx_*", "tx_bytes")).isFalse();
    }

    @Test
    void aColumnMatchedByTwoEntriesIsOneCounterPlacedByTheFirst() {
        List<String> metrics = List.of("b_u_Errors", "a_u_Errors", "c");
        assertThat(CounterProperties.columns(List.of("a_u_Errors", "*_u_Errors"), metrics)).containsExactly(1, 0);
        assertThat(CounterProperties.columns(List.of("*"), metrics)).containsExactly(0, 1, 2);
        assertThat(CounterProperties.columns(List.of("absent"), metrics)).isEmpty();
    }

    @Test
    void environmentVariableReplacesTheListInItsOrder() {
        assertThat(bind(Map.of("METRICS_COUNTERS", "tx_bytes,crc_errors")).counters())
                .containsExactly("tx_bytes", "crc_errors");
    }

    @Test
    void emptyEnvironmentVariableTurnsRatesOff() {
        assertThat(bind(Map.of("METRICS_COUNTERS", "")).counters()).isEmpty();
    }

    @Test
    void emptyEnvironmentVariableWinsOverAListInTheConfigFile() {
        var environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("config-file",
                Map.of("metrics.counters[0]", "packet_errors", "metrics.counters[1]", "rx_bytes")));
        Binder file = new Binder(ConfigurationPropertySources.get(environment));
        assertThat(file.bindOrCreate("metrics", CounterProperties.class).counters()).containsExactly("packet_errors", "rx_bytes");

        environment.getPropertySources().addFirst(new SystemEnvironmentPropertySource("test-env",
                Map.of("METRICS_COUNTERS", "")));
        Binder both = new Binder(ConfigurationPropertySources.get(environment));
        assertThat(both.bindOrCreate("metrics", CounterProperties.class).counters()).isEmpty();
    }

    @Test
    void emptyOrRepeatedNameIsRefusedNamingTheVariable() {
        assertThat(rootMessage(catchThrowable(() -> bind(Map.of("METRICS_COUNTERS", "a,,b")))))
                .contains("METRICS_COUNTERS").contains("empty name");
        assertThat(rootMessage(catchThrowable(() -> bind(Map.of("METRICS_COUNTERS", "a,b,a")))))
                .contains("METRICS_COUNTERS").contains("'a' twice");
    }
}
