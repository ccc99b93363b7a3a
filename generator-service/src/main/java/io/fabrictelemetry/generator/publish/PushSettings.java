package io.fabrictelemetry.generator.publish;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * What {@code GENERATOR_PUBLISH=kafka} needs, checked together at start: {@link #resolve} refuses a
 * missing or malformed {@code KAFKA_BOOTSTRAP_SERVERS} with a message that names it, as every other
 * setting is refused.
 *
 * @param bootstrapServers the brokers to start from, {@code host:port[,host:port…]}
 * @param topic            the topic every generation goes to
 * @param sourceName       the records' key
 * @param ports            publish the {@code /csv/metrics} bytes instead of the {@code /counters} bytes
 * @param maxBlock         the longest one send may wait for the broker
 */
record PushSettings(String bootstrapServers, String topic, String sourceName, boolean ports, Duration maxBlock) {

    private static final Pattern HOST_PORT = Pattern.compile("[^\\s,:]+:\\d{1,5}|\\[[0-9a-fA-F:.]+\\]:\\d{1,5}");

    static PushSettings resolve(PublishProperties publish, KafkaProperties kafka, SourceProperties source,
            String serverAddress, int serverPort) {
        String servers = kafka.bootstrapServers();
        if (servers == null || servers.isBlank()) {
            throw new IllegalArgumentException("kafka.bootstrap-servers (KAFKA_BOOTSTRAP_SERVERS) is required when"
                    + " generator.publish (GENERATOR_PUBLISH) is kafka, e.g. KAFKA_BOOTSTRAP_SERVERS=kafka:9092");
        }
        for (String server : servers.split(",", -1)) {
            if (!HOST_PORT.matcher(server.trim()).matches()) {
                throw new IllegalArgumentException("kafka.bootstrap-servers (KAFKA_BOOTSTRAP_SERVERS) must be"
                        + " host:port[,host:port...], but was '" + servers + "'");
            }
        }
        String path = publish.ports() ? "/csv/metrics" : "/counters";
        String name = source.name() != null ? source.name() : host(serverAddress) + ":" + serverPort + path;
        return new PushSettings(servers.trim(), kafka.topic(), name, publish.ports(), kafka.maxBlock());
    }

    /** A wildcard bind address names no host: the machine's own name stands for it. */
    private static String host(String serverAddress) {
        if (!serverAddress.equals("0.0.0.0") && !serverAddress.equals("::") && !serverAddress.equals("[::]")) {
            return serverAddress;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
