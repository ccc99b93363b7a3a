package io.fabrictelemetry.generator.simulation;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The simulated fabric, bound from {@code generator.*} (config/generator.yml, or environment
 * variables such as {@code GENERATOR_SWITCHES}). Invalid values stop startup with a message that
 * names the setting and the value.
 *
 * @param switches               number of switches, at least 1
 * @param metrics                CSV columns after {@code switch_id}, in order; each from the catalogue
 * @param period                 how often the fabric advances and a new generation is published
 * @param seed                   seed of the simulation's randomness; {@code null} picks one and logs it
 * @param linkCapacityGbps       capacity of each switch's link, the ceiling of {@code bandwidth_gbps}
 * @param latencySpikeProbability chance per switch and period that a latency spike starts
 * @param linkDownProbability    chance per switch and period that a link-down episode starts
 * @param errorBurstProbability  chance per switch and period of a burst of packet errors
 * @param portsPerSwitch         ports of each switch, 1 to 128: the simulation's state is per port;
 *                               {@code /counters} derives each switch's row from its ports and
 *                               {@code /csv/metrics} serves one row per port
 */
@ConfigurationProperties("generator")
public record FabricProperties(
        @DefaultValue("64") int switches,
        @DefaultValue({"bandwidth_gbps", "utilization_pct", "latency_us", "packet_errors",
                "dropped_packets", "link_state", "link_down_count", "temperature_c"}) List<String> metrics,
        @DefaultValue("10s") Duration period,
        @Nullable Long seed,
        @DefaultValue("400") double linkCapacityGbps,
        @DefaultValue("0.02") double latencySpikeProbability,
        @DefaultValue("0.005") double linkDownProbability,
        @DefaultValue("0.05") double errorBurstProbability,
        @DefaultValue("40") int portsPerSwitch) {

    /** Default ports per switch: a 40-port switch (QM8700-class). */
    static final int DEFAULT_PORTS_PER_SWITCH = 40;
    static final int MAX_PORTS_PER_SWITCH = 128;
    /** Every port is simulated and rendered each period (about 300 bytes of /csv/metrics a port). */
    static final long MAX_PORTS = 1_000_000;

    @ConstructorBinding
    public FabricProperties {
        if (switches < 1) {
            throw new IllegalArgumentException(
                    "generator.switches (GENERATOR_SWITCHES) must be at least 1, but was " + switches);
        }
        if (switches > 1_000_000) {
            throw new IllegalArgumentException(
                    "generator.switches (GENERATOR_SWITCHES) must be at most 1000000, but was " + switches);
        }
        if (metrics == null || metrics.isEmpty()) {
            throw new IllegalArgumentException("generator.metrics (GENERATOR_METRICS) must name at least one metric");
        }
        Set<String> seen = new HashSet<>();
        for (String name : metrics) {
            if (Metric.byColumnName(name).isEmpty()) {
                throw new IllegalArgumentException("generator.metrics (GENERATOR_METRICS) contains unknown metric '"
                        + name + "'; known metrics: " + Metric.knownNames());
            }
            if (!seen.add(name)) {
                throw new IllegalArgumentException(
                        "generator.metrics (GENERATOR_METRICS) names '" + name + "' more than once");
            }
        }
        metrics = List.copyOf(metrics);
        if (period == null || period.isZero() || period.isNegative()) {
            throw new IllegalArgumentException(
                    "generator.period (GENERATOR_PERIOD) must be positive, but was " + period);
        }
        if (period.toMillis() < 1) {
            throw new IllegalArgumentException(
                    "generator.period (GENERATOR_PERIOD) must be at least 1ms, but was " + period);
        }
        if (!(linkCapacityGbps > 0) || Double.isInfinite(linkCapacityGbps)) {
            throw new IllegalArgumentException(
                    "generator.link-capacity-gbps (GENERATOR_LINK_CAPACITY_GBPS) must be a positive number, but was "
                            + linkCapacityGbps);
        }
        requireProbability("generator.latency-spike-probability (GENERATOR_LATENCY_SPIKE_PROBABILITY)",
                latencySpikeProbability);
        requireProbability("generator.link-down-probability (GENERATOR_LINK_DOWN_PROBABILITY)", linkDownProbability);
        requireProbability("generator.error-burst-probability (GENERATOR_ERROR_BURST_PROBABILITY)",
                errorBurstProbability);
        if (portsPerSwitch < 1 || portsPerSwitch > MAX_PORTS_PER_SWITCH) {
            throw new IllegalArgumentException("generator.ports-per-switch (GENERATOR_PORTS_PER_SWITCH) must be between 1 and "
                    + MAX_PORTS_PER_SWITCH + ", but was " + portsPerSwitch);
        }
        if ((long) switches * portsPerSwitch > MAX_PORTS) {
            throw new IllegalArgumentException("generator.switches (GENERATOR_SWITCHES) times generator.ports-per-switch"
                    + " (GENERATOR_PORTS_PER_SWITCH) must be at most " + MAX_PORTS + " ports, but was " + switches
                    + " x " + portsPerSwitch + " = " + (long) switches * portsPerSwitch);
        }
    }

    /** The same settings with {@value #DEFAULT_PORTS_PER_SWITCH} ports per switch (the default). */
    public FabricProperties(int switches, List<String> metrics, Duration period, @Nullable Long seed,
            double linkCapacityGbps, double latencySpikeProbability, double linkDownProbability,
            double errorBurstProbability) {
        this(switches, metrics, period, seed, linkCapacityGbps, latencySpikeProbability, linkDownProbability,
                errorBurstProbability, DEFAULT_PORTS_PER_SWITCH);
    }

    static void requireProbability(String setting, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(setting + " must be between 0 and 1, but was " + value);
        }
    }

    List<Metric> columns() {
        return metrics.stream().map(name -> Metric.byColumnName(name).orElseThrow()).toList();
    }
}
