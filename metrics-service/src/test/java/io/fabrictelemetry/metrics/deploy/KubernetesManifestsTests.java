package io.fabrictelemetry.metrics.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointProperties;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.AbstractBindHandler;
import org.springframework.boot.context.properties.bind.BindContext;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.yaml.snakeyaml.Yaml;

import io.fabrictelemetry.conventions.PayloadRecords;
import io.fabrictelemetry.conventions.PayloadTopic;
import io.fabrictelemetry.metrics.history.HistoryProperties;
import io.fabrictelemetry.metrics.ingest.GeneratorProperties;
import io.fabrictelemetry.metrics.ingest.PollProperties;
import io.fabrictelemetry.metrics.kafka.IngestMode;
import io.fabrictelemetry.metrics.kafka.KafkaSettings;

/**
 * {@code deploy/kubernetes/} against the applications it deploys. Everything the manifests must agree
 * with is read from the applications themselves — their {@code application.yml}, the shipped
 * {@code config/*.yml}, their settings classes — so that a renamed setting, a moved port or probe path
 * fails here rather than in a cluster: every environment variable is one the application reads and
 * means what the manifest intends; the container port is where the server listens (and it listens
 * beyond loopback); the probes ask the Actuator health groups the application defines, on that port;
 * the Service, the PodDisruptionBudget and the autoscaler select the consumers; the topic declared
 * for the Strimzi operator allows what the services require of it.
 */
class KubernetesManifestsTests {

    private static final Path MANIFESTS = Path.of("..", "deploy", "kubernetes");
    private static final Path GENERATOR_APPLICATION_YML =
            Path.of("..", "generator-service", "src", "main", "resources", "application.yml");
    private static final Path METRICS_CONFIG_FILE = Path.of("..", "config", "metrics-service.yml");
    private static final Path GENERATOR_CONFIG_FILE = Path.of("..", "config", "generator.yml");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_.\\-\\[\\]]+)");

    private final List<Map<String, Object>> documents = load();

    @Test
    void thePublisherIsOneReplicaReplacedByRecreateThatPollsAndPublishes() {
        Map<String, Object> publisher = resource("Deployment", "fabric-metrics-publisher");
        assertThat((Object) at(publisher, "spec.replicas")).isEqualTo(1);
        assertThat((Object) at(publisher, "spec.strategy.type")).isEqualTo("Recreate");
        Map<String, String> env = env(container(publisher));
        KafkaSettings kafka = KafkaSettings.bind(binder(env), polledUrl(env));
        assertThat(kafka.mode()).isEqualTo(IngestMode.PUBLISH);
        assertThat(kafka.bootstrapServers()).isEqualTo(env.get("KAFKA_BOOTSTRAP_SERVERS"));
    }

    @Test
    void theConsumersAreThreeReplicasInConsumeModeKeptAvailableAndScaledOnCpu() {
        Map<String, Object> consumers = resource("Deployment", "fabric-metrics-consumer");
        assertThat((Object) at(consumers, "spec.replicas")).isEqualTo(3);
        Map<String, String> env = env(container(consumers));
        assertThat(KafkaSettings.bind(binder(env), polledUrl(env)).mode()).isEqualTo(IngestMode.CONSUME);
        Map<String, Object> podLabels = at(consumers, "spec.template.metadata.labels");

        Map<String, Object> budget = resource("PodDisruptionBudget", "fabric-metrics-consumer");
        assertThat(podLabels).containsAllEntriesOf(at(budget, "spec.selector.matchLabels"));
        assertThat((Integer) at(budget, "spec.minAvailable")).isBetween(1, 2);

        Map<String, Object> autoscaler = resource("HorizontalPodAutoscaler", "fabric-metrics-consumer");
        assertThat((Object) at(autoscaler, "spec.scaleTargetRef.kind")).isEqualTo("Deployment");
        assertThat((Object) at(autoscaler, "spec.scaleTargetRef.name")).isEqualTo("fabric-metrics-consumer");
        assertThat((Integer) at(autoscaler, "spec.minReplicas")).isEqualTo(3);
        List<Map<String, Object>> metrics = at(autoscaler, "spec.metrics");
        assertThat(metrics).extracting(metric -> at(metric, "resource.name")).containsExactly("cpu");
        // a CPU utilization target is a share of the request: the container must request CPU
        assertThat((Object) at(container(consumers), "resources.requests.cpu")).isNotNull();
    }

    @Test
    void theServiceSendsRequestsToTheConsumersPortOnly() {
        Map<String, Object> service = resource("Service", "fabric-metrics");
        Map<String, Object> selector = at(service, "spec.selector");
        Map<String, Object> consumers = resource("Deployment", "fabric-metrics-consumer");
        Map<String, Object> publisher = resource("Deployment", "fabric-metrics-publisher");
        assertThat((Map<String, Object>) at(consumers, "spec.template.metadata.labels")).containsAllEntriesOf(selector);
        assertThat((Map<String, Object>) at(publisher, "spec.template.metadata.labels")).doesNotContainEntry(
                "app.kubernetes.io/component", selector.get("app.kubernetes.io/component"));
        List<Map<String, Object>> ports = at(service, "spec.ports");
        for (Map<String, Object> port : ports) {
            assertThat(containerPort(container(consumers), port.get("targetPort"))).isEqualTo(serverPort(consumers));
        }
    }

    @Test
    void everyMetricsServiceListensBeyondLoopbackOnItsContainerPortAndIsProbedOnItsHealthGroups() {
        for (String name : List.of("fabric-metrics-publisher", "fabric-metrics-consumer")) {
            Map<String, Object> deployment = resource("Deployment", name);
            Map<String, Object> container = container(deployment);
            StandardEnvironment environment = metricsEnvironment(env(container));
            assertThat(environment.getProperty("server.address")).as("%s binds", name).isEqualTo("0.0.0.0");
            int port = Integer.parseInt(environment.getProperty("server.port"));
            List<Map<String, Object>> ports = at(container, "ports");
            assertThat(ports).extracting(p -> p.get("containerPort")).as("%s ports", name).containsExactly(port);
            checkProbes(name, container, environment, port);
        }
    }

    @Test
    void theGeneratorListensBeyondLoopbackWhereThePublisherPollsIt() {
        Map<String, Object> generator = resource("Deployment", "fabric-generator");
        Map<String, Object> container = container(generator);
        StandardEnvironment environment = environment(env(container), List.of(
                yaml(new FileSystemResource(GENERATOR_CONFIG_FILE)), yaml(new FileSystemResource(GENERATOR_APPLICATION_YML))));
        assertThat(environment.getProperty("server.address")).isEqualTo("0.0.0.0");
        int port = Integer.parseInt(environment.getProperty("server.port"));
        assertThat(containerPort(container, "http")).isEqualTo(port);
        checkProbes("fabric-generator", container, environment, port);

        Map<String, Object> service = resource("Service", "fabric-generator");
        Map<String, Object> servicePort = ((List<Map<String, Object>>) at(service, "spec.ports")).get(0);
        assertThat(containerPort(container, servicePort.get("targetPort"))).isEqualTo(port);
        Map<String, String> publisherEnv = env(container(resource("Deployment", "fabric-metrics-publisher")));
        URI polled = URI.create(polledUrl(publisherEnv));
        assertThat(polled.getHost()).isEqualTo(at(service, "metadata.name"));
        assertThat(polled.getPort()).isEqualTo(servicePort.get("port"));
    }

    @Test
    void everyEnvironmentVariableIsASettingTheApplicationReads() {
        Set<String> metricsSettings = metricsSettingNames();
        for (String name : List.of("fabric-metrics-publisher", "fabric-metrics-consumer")) {
            for (String variable : env(container(resource("Deployment", name))).keySet()) {
                assertThat(readBy(variable, metricsSettings)).as("%s: %s is read by a setting of the metrics-service"
                        + " (%s)", name, variable, metricsSettings).isTrue();
            }
        }
        Set<String> generatorSettings = placeholders(yaml(new FileSystemResource(GENERATOR_APPLICATION_YML)));
        for (String variable : env(container(resource("Deployment", "fabric-generator"))).keySet()) {
            assertThat(readBy(variable, generatorSettings)).as("generator: %s is read by a setting", variable).isTrue();
        }
    }

    @Test
    void theStrimziTopicAndClusterAreTheOnesTheServicesUseAndAllowWhatTheyRequire() {
        Map<String, Object> topic = documents.stream()
                .filter(d -> "KafkaTopic".equals(d.get("kind"))).findFirst().orElseThrow();
        Map<String, Object> kafka = documents.stream()
                .filter(d -> "Kafka".equals(d.get("kind"))).findFirst().orElseThrow();
        List<Map<String, Object>> listeners = at(kafka, "spec.kafka.listeners");
        Map<String, Object> plain = listeners.stream().filter(l -> Boolean.FALSE.equals(l.get("tls"))).findFirst()
                .orElseThrow();
        String bootstrap = at(kafka, "metadata.name") + "-kafka-bootstrap:" + plain.get("port");
        assertThat((Object) at(topic, "metadata.labels") instanceof Map<?, ?> labels
                ? labels.get("strimzi.io/cluster") : null).isEqualTo(at(kafka, "metadata.name"));

        for (String name : List.of("fabric-metrics-publisher", "fabric-metrics-consumer")) {
            Map<String, String> env = env(container(resource("Deployment", name)));
            KafkaSettings settings = KafkaSettings.bind(binder(env), polledUrl(env));
            assertThat(settings.bootstrapServers()).as(name).isEqualTo(bootstrap);
            assertThat((Object) at(topic, "metadata.name")).as(name).isEqualTo(settings.topic());
        }
        assertThat((Object) at(topic, "metadata.name")).isEqualTo(PayloadRecords.DEFAULT_TOPIC);
        assertThat((Object) at(topic, "spec.partitions")).isEqualTo(1);
        Binder defaults = binder(Map.of());
        PayloadTopic.Requirements required = PayloadTopic.Requirements.of(PayloadRecords.DEFAULT_TOPIC,
                defaults.bindOrCreate("history", HistoryProperties.class).retention(),
                defaults.bindOrCreate("poll", PollProperties.class).maxBytes().toBytes());
        assertThat(((Number) at(topic, "spec.config.[retention.ms]")).longValue())
                .isGreaterThanOrEqualTo(required.retentionMs());
        assertThat(((Number) at(topic, "spec.config.[max.message.bytes]")).longValue())
                .isGreaterThanOrEqualTo(required.maxMessageBytes());
    }

    // --- the probes -------------------------------------------------------------------------------

    private void checkProbes(String name, Map<String, Object> container, StandardEnvironment environment, int port) {
        Binder binder = Binder.get(environment);
        String basePath = binder.bindOrCreate("management.endpoints.web", WebEndpointProperties.class).getBasePath();
        assertThat(binder.bind("management.endpoint.health.probes.enabled", Boolean.class).orElse(false))
                .as("%s: Actuator's probe groups are enabled", name).isTrue();
        assertThat(environment.getProperty("management.server.port")).as("%s: Actuator on the server's port", name)
                .isNull();
        assertThat(environment.getProperty("management.endpoints.web.exposure.include")).contains("health");
        Map<String, String> groups = Map.of("livenessProbe", "liveness", "readinessProbe", "readiness",
                "startupProbe", "liveness");
        for (Map.Entry<String, String> probe : groups.entrySet()) {
            if (!container.containsKey(probe.getKey())) {
                assertThat(probe.getKey()).as("%s has a %s", name, probe.getKey()).isEqualTo("startupProbe");
                continue;
            }
            String path = at(container, probe.getKey() + ".httpGet.path");
            assertThat(path).as("%s %s", name, probe.getKey()).isEqualTo(basePath + "/health/" + probe.getValue());
            if (environment.containsProperty("management.endpoint.health.group." + probe.getValue() + ".include")
                    || name.equals("fabric-generator")) {
                // the group is the application's own (or, in the generator, Spring Boot's probe group)
            } else {
                throw new AssertionError(name + ": " + path + " asks health group '" + probe.getValue()
                        + "', which application.yml does not define");
            }
            assertThat(containerPort(container, at(container, probe.getKey() + ".httpGet.port")))
                    .as("%s %s port", name, probe.getKey()).isEqualTo(port);
        }
    }

    // --- the application's settings ---------------------------------------------------------------

    /** What the metrics-service sees in a container with {@code env}: the variables, then its config file and application.yml. */
    private static StandardEnvironment metricsEnvironment(Map<String, String> env) {
        return environment(env, List.of(yaml(new FileSystemResource(METRICS_CONFIG_FILE)),
                yaml(new ClassPathResource("application.yml"))));
    }

    private static int serverPort(Map<String, Object> deployment) {
        return Integer.parseInt(metricsEnvironment(env(container(deployment))).getProperty("server.port"));
    }

    private static StandardEnvironment environment(Map<String, String> env, List<List<PropertySource<?>>> files) {
        StandardEnvironment environment = new StandardEnvironment();
        var sources = environment.getPropertySources();
        sources.remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
        sources.remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
        sources.addFirst(new SystemEnvironmentPropertySource("container", new LinkedHashMap<>(env)));
        files.forEach(file -> file.forEach(sources::addLast));
        return environment;
    }

    private static Binder binder(Map<String, String> env) {
        return Binder.get(environment(env, List.of()));
    }

    /** What the publisher polls, as the metrics-service derives it from the container's variables. */
    private static String polledUrl(Map<String, String> env) {
        return binder(env).bindOrCreate("generator", GeneratorProperties.class).countersUrl();
    }

    /**
     * Every property name the metrics-service binds: each configuration record's (found by scanning the
     * application for {@code @ConfigurationProperties}), {@link KafkaSettings}' and each placeholder of
     * its {@code application.yml}.
     */
    private static Set<String> metricsSettingNames() {
        Set<String> names = new HashSet<>();
        BindHandler recorder = new AbstractBindHandler() {
            @Override
            public <T> Bindable<T> onStart(ConfigurationPropertyName name, Bindable<T> target, BindContext context) {
                names.add(name.toString());
                return target;
            }
        };
        Binder binder = new Binder(ConfigurationPropertySources.from(List.of()), null, null, null, recorder);
        var scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AnnotationTypeFilter(ConfigurationProperties.class));
        for (BeanDefinition candidate : scanner.findCandidateComponents("io.fabrictelemetry.metrics")) {
            try {
                Class<?> type = Class.forName(candidate.getBeanClassName());
                ConfigurationProperties annotation = type.getAnnotation(ConfigurationProperties.class);
                binder.bindOrCreate(annotation.value().isEmpty() ? annotation.prefix() : annotation.value(), type);
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
        }
        KafkaSettings.bind(binder, "http://127.0.0.1:9001/counters");
        names.addAll(placeholders(yaml(new ClassPathResource("application.yml"))));
        return names;
    }

    /** The names in {@code ${name:default}} placeholders of a YAML file's values. */
    private static Set<String> placeholders(List<PropertySource<?>> file) {
        Set<String> names = new HashSet<>();
        for (PropertySource<?> source : file) {
            if (source.getSource() instanceof Map<?, ?> map) {
                for (Object value : map.values()) {
                    Matcher matcher = PLACEHOLDER.matcher(String.valueOf(value));
                    while (matcher.find()) {
                        names.add(matcher.group(1));
                    }
                }
            }
        }
        return names;
    }

    /** True when {@code variable}, as the only environment variable, gives one of {@code settings} a value. */
    private static boolean readBy(String variable, Set<String> settings) {
        var source = new SystemEnvironmentPropertySource("one", Map.of(variable, "x"));
        return settings.stream().anyMatch(source::containsProperty);
    }

    private static List<PropertySource<?>> yaml(Resource resource) {
        try {
            return new YamlPropertySourceLoader().load(resource.getDescription(), resource);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    // --- the manifests ----------------------------------------------------------------------------

    private static List<Map<String, Object>> load() {
        List<Map<String, Object>> documents = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(MANIFESTS, "*.yaml")) {
            for (Path file : files) {
                try (Reader reader = Files.newBufferedReader(file)) {
                    for (Object document : new Yaml().loadAll(reader)) {
                        if (document != null) {
                            documents.add((Map<String, Object>) document);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return documents;
    }

    private Map<String, Object> resource(String kind, String name) {
        return documents.stream()
                .filter(d -> kind.equals(d.get("kind")) && name.equals(at(d, "metadata.name")))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in " + MANIFESTS));
    }

    private static Map<String, Object> container(Map<String, Object> deployment) {
        List<Map<String, Object>> containers = at(deployment, "spec.template.spec.containers");
        assertThat(containers).hasSize(1);
        return containers.get(0);
    }

    private static Map<String, String> env(Map<String, Object> container) {
        Map<String, String> env = new LinkedHashMap<>();
        List<Map<String, Object>> entries = at(container, "env");
        for (Map<String, Object> entry : entries) {
            assertThat(entry.get("value")).as("%s has a literal value", entry.get("name")).isInstanceOf(String.class);
            env.put((String) entry.get("name"), (String) entry.get("value"));
        }
        return env;
    }

    /** The number of a container port named or numbered {@code port}. */
    private static int containerPort(Map<String, Object> container, Object port) {
        List<Map<String, Object>> ports = at(container, "ports");
        return ports.stream().filter(p -> port.equals(p.get("name")) || port.equals(p.get("containerPort")))
                .map(p -> (Integer) p.get("containerPort")).findFirst()
                .orElseThrow(() -> new AssertionError("no container port " + port + " in " + ports));
    }

    /** The value at a dotted path; {@code [a.b]} is one key with dots. */
    @SuppressWarnings("unchecked")
    private static <T> T at(Map<String, Object> map, String path) {
        Object current = map;
        Matcher keys = Pattern.compile("\\[([^\\]]+)\\]|([^.\\[]+)").matcher(path);
        while (keys.find()) {
            String key = keys.group(1) != null ? keys.group(1) : keys.group(2);
            assertThat(current).as("%s in %s", key, path).isInstanceOf(Map.class);
            current = ((Map<String, Object>) current).get(key);
        }
        return (T) current;
    }
}
