package io.fabrictelemetry.bench;

import java.util.concurrent.CountDownLatch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import ch.qos.logback.classic.Level;

/**
 * A real single-node Apache Kafka broker (KRaft, broker and controller in one process, as the
 * compose profile's {@code apache/kafka} image runs it) in a JVM of its own, for bench/replicas.sh:
 * the services under measurement reach it over loopback like any broker, and its work is not in
 * their JVMs. It is spring-kafka-test's {@link EmbeddedKafkaKraftBroker} (Kafka's own
 * {@code KafkaClusterTestKit}), the broker the services' tests start in theirs; no topic is made
 * here: the publishing metrics-service creates its topic as it would against any broker.
 *
 * <pre>java -Xmx1g -cp bench/target/benchmarks.jar io.fabrictelemetry.bench.KafkaBroker</pre>
 * Prints {@code bootstrap-servers=127.0.0.1:<port>} once it answers (the port is chosen by the test
 * kit), then runs until it is stopped (SIGTERM: the broker is shut down and its log deleted).
 */
public final class KafkaBroker {

    private KafkaBroker() {
    }

    public static void main(String[] args) throws InterruptedException {
        // logback without a configuration logs everything at DEBUG: the broker's own INFO and DEBUG
        // lines would cost the machine the benchmark measures
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 1);
        // the broker publishes its address in this system property: keep it out of Spring's name
        broker.brokerListProperty("fabric.bench.kafka.bootstrap-servers");
        broker.afterPropertiesSet();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.destroy();
            stopped.countDown();
        }, "kafka-broker-stop"));
        System.out.println("bootstrap-servers=" + broker.getBrokersAsString());
        System.out.flush();
        stopped.await();
    }
}
