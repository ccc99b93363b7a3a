package io.fabrictelemetry.metrics.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;

import com.sun.net.httpserver.HttpServer;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The dashboard in headless Chromium against the real metrics-service polling a stand-in generator
 * that serves a CSV this test writes: switches named like the properties every JavaScript object
 * inherits, and columns that come and go between snapshots. The tests run in order on one page.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(BrowserTests.class)
class DashboardStubGeneratorBrowserIT {

    /** Switch IDs that a plain-object lookup (`id in object`, `object[id]`) finds on every object. */
    private static final List<String> SWITCHES = List.of("sw-0001", "constructor", "toString", "__proto__",
            "hasOwnProperty", "valueOf");
    private static final JsonMapper json = JsonMapper.builder().build();

    private static final AtomicReference<String> csv = new AtomicReference<>();
    private static HttpServer generator;
    private static RunningFabric fabric;
    private static HeadlessChromium chromium;

    /** One row per switch: utilization_pct 10, 20, ...; `constructor`'s link is down. */
    private static String counters(List<String> columns) {
        StringBuilder text = new StringBuilder("switch_id,").append(String.join(",", columns)).append('\n');
        for (int i = 0; i < SWITCHES.size(); i++) {
            String id = SWITCHES.get(i);
            text.append(id);
            for (String column : columns) {
                text.append(',').append(switch (column) {
                    case "utilization_pct" -> Integer.toString(10 * (i + 1));
                    case "link_state" -> id.equals("constructor") ? "0" : "1";
                    case "latency_us" -> (i + 1) + ".5";
                    default -> Integer.toString(40 + i);
                });
            }
            text.append('\n');
        }
        return text.toString();
    }

    @BeforeAll
    static void startTheFabricAndABrowser() throws Exception {
        chromium = HeadlessChromium.start(1280, 800);
        csv.set(counters(List.of("utilization_pct", "latency_us", "link_state")));
        generator = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        generator.createContext("/counters", exchange -> {
            byte[] body = csv.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/csv; charset=utf-8");
            // a new generation on every poll: every poll publishes a snapshot
            exchange.getResponseHeaders().set("X-Sampled-At", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        generator.start();
        fabric = RunningFabric.polling(generator.getAddress().getPort(),
                "--poll.interval=1000ms", "--poll.timeout=900ms", "--stale.after=20s");
        chromium.driver().get(fabric.metricsUrl("/"));
    }

    @AfterAll
    static void stopEverything() {
        if (chromium != null) {
            chromium.close();
        }
        if (fabric != null) {
            fabric.close();
        }
        if (generator != null) {
            generator.stop(0);
        }
    }

    @Test
    @Order(1)
    void switchesNamedLikeObjectPropertiesRenderLikeAnyOther() throws IOException {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(attribute("body", "data-state")).isEqualTo("fresh");
            assertThat(attribute("#heatmap", "data-count")).isEqualTo(Integer.toString(SWITCHES.size()));
            assertThat(attribute("#freshness", "data-stream")).isEqualTo("open");
        });
        for (int i = 0; i < SWITCHES.size(); i++) {
            String id = SWITCHES.get(i);
            int index = i;
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                hover(index);
                WebElement tooltip = element("#tooltip");
                assertThat(tooltip.getDomAttribute("data-switch")).isEqualTo(id);
                assertThat(tooltip.getText())
                        .startsWith(id + ": utilization_pct " + 10 * (index + 1) + " %")
                        .containsPattern("sampled \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} UTC")
                        .doesNotContain("carried over");
            });
        }
        assertThat(text("#fresh-carried")).isEqualTo("none");
        assertThat(text("#fresh-sequence")).endsWith(", " + SWITCHES.size() + " switches");
        assertThat(listed("#link-down")).containsExactly("constructor");
        assertThat(listed("#top")).containsExactly("valueOf", "hasOwnProperty", "__proto__", "toString",
                "constructor", "sw-0001");
        chromium.screenshot("stub-1-names");
        // switch rows: none of the port-row parts, and no request for them
        assertThat(attribute("body", "data-layout")).isEqualTo("switches");
        assertThat(element("#top-ports-panel").isDisplayed()).isFalse();
        assertThat(element("#aggregate-note").isDisplayed()).isFalse();
        assertThat(text("#top-what")).isEqualTo("Top 10");
        assertThat(chromium.script("return performance.getEntriesByType('resource')"
                + ".filter(e => e.name.includes('/telemetry/TopPorts')).length")).isEqualTo(0L);

        // its details: every metric of that switch, not of Object.prototype
        // the list is re-rendered on every snapshot (one a second): click again if it went stale meanwhile
        await().atMost(Duration.ofSeconds(10)).ignoreException(StaleElementReferenceException.class).until(() -> {
            element("#top li[data-switch='__proto__'] button").click();
            return true;
        });
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(attribute("#detail", "data-switch")).isEqualTo("__proto__");
            assertThat(text("#detail-sampled")).startsWith("Sampled at ");
            assertThat(text("#detail-metrics tr[data-metric='utilization_pct'] td")).isEqualTo("40 %");
            assertThat(text("#detail-metrics tr[data-metric='latency_us'] td")).isEqualTo("4.5 µs");
        });
        assertThat(element("#detail-ports").isDisplayed()).isFalse();
        assertThat(element("#detail-description").isDisplayed()).isFalse();
        assertThat(text("#detail-value-head")).isEqualTo("Value");
        element("#detail-close").click();
        assertThat(chromium.consoleProblems()).isEmpty();
    }

    @Test
    @Order(2)
    void aColumnThatAppearsIsOfferedInTheSelector() {
        assertThat(options()).containsExactly("utilization_pct", "latency_us", "link_state");
        csv.set(counters(List.of("utilization_pct", "latency_us", "link_state", "temperature_c")));
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                assertThat(options()).containsExactly("utilization_pct", "latency_us", "link_state", "temperature_c"));
        showMetric("temperature_c");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            hover(1);
            assertThat(text("#tooltip")).startsWith("constructor: temperature_c 41 °C");
        });
    }

    @Test
    @Order(3)
    void theChosenMetricThatDisappearsIsSaidInWordsAndTheStreamGoesOn() throws Exception {
        showMetric("latency_us");
        assertThat(element("#metric-note").isDisplayed()).isFalse();
        csv.set(counters(List.of("utilization_pct", "link_state", "temperature_c")));
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertThat(options()).containsExactly("utilization_pct", "link_state", "temperature_c");
            assertThat(element("#metric-note").isDisplayed()).isTrue();
            assertThat(text("#metric-note")).isEqualTo(
                    "latency_us is no longer in the snapshot (the generator stopped sending it): showing utilization_pct.");
            assertThat(attribute("#heatmap", "data-metric")).isEqualTo("utilization_pct");
            assertThat(new Select(element("#metric")).getFirstSelectedOption().getDomAttribute("value"))
                    .isEqualTo("utilization_pct");
        });
        chromium.screenshot("stub-2-metric-gone");
        // live again on the new metric: snapshots keep arriving over an open stream, the data fresh
        long sequence = Long.parseLong(attribute("#heatmap", "data-sequence"));
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertThat(Long.parseLong(attribute("#heatmap", "data-sequence"))).isGreaterThanOrEqualTo(sequence + 3);
            assertThat(attribute("#freshness", "data-stream")).isEqualTo("open");
            assertThat(attribute("body", "data-state")).isEqualTo("fresh");
        });
        JsonNode list = json.readTree(RunningFabric.get(fabric.metricsUrl("/telemetry/ListMetrics")).body());
        assertThat(list.get("metrics").valueStream().map(JsonNode::asString).toList())
                .containsExactly("utilization_pct", "link_state", "temperature_c");
        // picking another metric by hand clears the note
        showMetric("temperature_c");
        assertThat(element("#metric-note").isDisplayed()).isFalse();
        assertThat(chromium.consoleProblems()).isEmpty();
    }

    // ---- helpers --------------------------------------------------------------------------------

    @SuppressWarnings("unchecked")
    private static List<String> options() {
        return (List<String>) chromium.script("return [...document.querySelectorAll('#metric option')].map(o => o.value)");
    }

    @SuppressWarnings("unchecked")
    private static List<String> listed(String list) {
        return (List<String>) chromium.script(
                "return [...document.querySelectorAll(arguments[0] + ' li[data-switch]')].map(e => e.dataset.switch)", list);
    }

    private static void showMetric(String metric) {
        new Select(element("#metric")).selectByValue(metric);
        await().atMost(Duration.ofSeconds(10)).until(() -> metric.equals(attribute("#heatmap", "data-metric")));
    }

    /** Moves the mouse over the centre of the index-th cell. */
    private static void hover(int index) {
        WebElement map = element("#heatmap");
        int columns = Integer.parseInt(map.getDomAttribute("data-columns"));
        int cell = Integer.parseInt(map.getDomAttribute("data-cell"));
        int x = (index % columns) * cell + cell / 2;
        int y = (index / columns) * cell + cell / 2;
        new Actions(chromium.driver())
                .moveToElement(map, x - map.getSize().getWidth() / 2, y - map.getSize().getHeight() / 2)
                .perform();
    }

    private static WebElement element(String css) {
        return chromium.driver().findElement(By.cssSelector(css));
    }

    private static String attribute(String css, String name) {
        return element(css).getDomAttribute(name);
    }

    private static String text(String css) {
        return element(css).getText();
    }
}
