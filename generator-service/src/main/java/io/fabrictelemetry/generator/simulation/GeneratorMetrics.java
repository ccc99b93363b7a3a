package io.fabrictelemetry.generator.simulation;

import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/** The simulation's own metrics, read from the strongly held store at scrape time. */
@Component
class GeneratorMetrics {

    GeneratorMetrics(MeterRegistry registry, GenerationStore store, FabricProperties config) {
        FunctionCounter.builder("fabric.generator.generations", store, s -> s.current().number())
                .description("Generations published since the process started")
                .register(registry);
        Gauge.builder("fabric.generator.switches.down", store, s -> s.current().switchesDown())
                .description("Switches whose link is down in the current generation")
                .register(registry);
        Gauge.builder("fabric.generator.switches", config, FabricProperties::switches)
                .description("Switches in the simulated fabric")
                .register(registry);
        Gauge.builder("fabric.generator.generation.bytes", store, s -> s.current().csv().length)
                .description("Size of the current generation's CSV body")
                .baseUnit("bytes")
                .register(registry);
        Gauge.builder("fabric.generator.ports", config, c -> (double) c.switches() * c.portsPerSwitch())
                .description("Ports in the simulated fabric")
                .register(registry);
        Gauge.builder("fabric.generator.ports.down", store, s -> s.current().portsDown())
                .description("Ports in a link-down episode in the current generation")
                .register(registry);
        Gauge.builder("fabric.generator.generation.ports.bytes", store, s -> s.current().portsCsv().length())
                .description("Size of the current generation's port view (/csv/metrics)")
                .baseUnit("bytes")
                .register(registry);
    }
}
