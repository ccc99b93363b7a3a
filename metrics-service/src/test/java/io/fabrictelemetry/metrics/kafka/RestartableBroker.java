package io.fabrictelemetry.metrics.kafka;

import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import kafka.server.BrokerServer;

/**
 * A broker of a test class's own that can be stopped and started again keeping its log and its
 * address: Kafka's test kit (under Spring's embedded broker) rebinds a restarted broker to the port
 * it had, so clients reconnect to what they knew, and the records and offsets are those from before.
 * (Destroying a broker and starting another on its port, as {@link KafkaTestBroker#own} allows, loses
 * every record.)
 */
final class RestartableBroker implements AutoCloseable {

    private final EmbeddedKafkaKraftBroker broker;

    RestartableBroker() {
        broker = new EmbeddedKafkaKraftBroker(1, 1);
        broker.brokerListProperty("fabric.test.kafka.last-started-broker");
        broker.afterPropertiesSet();
    }

    String servers() {
        return broker.getBrokersAsString();
    }

    /** Stops the broker; its data and port are kept for {@link #start}. */
    void stop() {
        for (BrokerServer server : broker.getCluster().brokers().values()) {
            server.shutdown();
            server.awaitShutdown();
        }
    }

    /** Starts the stopped broker again, on the same port with the same data. */
    void start() throws Exception {
        for (BrokerServer server : broker.getCluster().brokers().values()) {
            server.startup();
        }
        broker.getCluster().waitForReadyBrokers();
    }

    @Override
    public void close() {
        broker.destroy();
    }
}
