package io.fabrictelemetry.metrics.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import javax.imageio.ImageIO;

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
 * The dashboard in headless Chromium on port rows: the real metrics-service polls a stand-in for
 * UFM Telemetry's {@code /csv/metrics} that this test writes (three switches of four ports, GUIDs,
 * node descriptions, µs timestamps, an exponent decimal, an empty cell). The tests run in order
 * on one page.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(BrowserTests.class)
class DashboardPortRowsBrowserIT {

    static final String CBW = "Infiniband_Normalized_CBW_f_u_Percent";
    static final String MB_OUT = "Infiniband_MBOut_u_Gb";
    static final String LINK_DOWNED = "Infiniband_LinkDowned_u_Errors";
    static final String LINK_DOWNED_RATE = LINK_DOWNED + "_per_second";
    static final String HEADER = "timestamp,source_id,tag,node_guid,port_guid,port_num,node_description,"
            + MB_OUT + "," + LINK_DOWNED + ",Infiniband_SymbolErrors_u_Errors," + CBW;

    static final List<String> GUIDS = List.of("0x0002c90300000a01", "0x0002c90300000a02", "0x0002c90300000a03");
    static final List<String> DESCRIPTIONS = List.of("leaf-01", "leaf-02", "spine-01");
    static final int PORTS = 4;
    /** The CBW of port p is 10 × (switch + 1) + OFFSET[p - 1]: sorted by value, not by port. */
    private static final int[] OFFSET = {2, 4, 1, 3};
    private static final JsonMapper json = JsonMapper.builder().build();

    private static final AtomicLong generation = new AtomicLong();
    /** While true, leaf-02's port 3 counts a link-down on every generation. */
    private static final AtomicBoolean flapping = new AtomicBoolean(true);
    /** Ports of an extra switch, every one of them flapping (0: no such switch). */
    private static final AtomicInteger storm = new AtomicInteger();
    static final String STORM_GUID = "0x0002c90300000b00";
    private static HttpServer generator;
    private static RunningFabric fabric;
    private static HeadlessChromium chromium;

    /**
     * One generation, as UFM Telemetry writes it. leaf-01's port 2 went down twice long ago (a
     * counter of 2 that no longer moves: not down now); leaf-02's port 3 flaps while
     * {@link #flapping}; spine-01's port 4 has no CBW reading.
     */
    static String csv(long g, boolean flap, int stormPorts) {
        long micros = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
        StringBuilder text = new StringBuilder(HEADER).append('\n');
        for (int s = 0; s < GUIDS.size(); s++) {
            for (int port = 1; port <= PORTS; port++) {
                long linkDowned = s == 0 && port == 2 ? 2 : s == 1 && port == 3 ? (flap ? g : 7) : 0;
                String cbw = s == 2 && port == 4 ? ""
                        : s == 0 && port == 3 ? "5.48295e-7" : Integer.toString(10 * (s + 1) + OFFSET[port - 1]);
                text.append(micros).append(",ufm-01,,").append(GUIDS.get(s)).append(',').append(GUIDS.get(s))
                        .append(',').append(port).append(',').append(DESCRIPTIONS.get(s))
                        .append(',').append(g * 100 * (s + 1) * port)
                        .append(',').append(linkDowned)
                        .append(",0,").append(cbw).append('\n');
            }
        }
        for (int port = 1; port <= stormPorts; port++) {
            text.append(micros).append(",ufm-01,,").append(STORM_GUID).append(',').append(STORM_GUID).append(',')
                    .append(port).append(",storm,0,").append(g).append(",0,1\n");
        }
        return text.toString();
    }

    @BeforeAll
    static void startTheFabricAndABrowser() throws Exception {
        chromium = HeadlessChromium.start(1280, 800);
        generator = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        // any path: /csv/metrics as UFM serves it, or whatever the service appends to GENERATOR_URL
        generator.createContext("/", exchange -> {
            long g = generation.incrementAndGet();
            byte[] body = csv(g, flapping.get(), storm.get()).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/csv; charset=utf-8");
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
    void theHeatmapColoursEachSwitchByItsAggregate() throws Exception {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(attribute("body", "data-state")).isEqualTo("fresh");
            assertThat(attribute("body", "data-layout")).isEqualTo("ports");
            assertThat(attribute("#heatmap", "data-count")).isEqualTo(Integer.toString(GUIDS.size()));
            assertThat(attribute("#freshness", "data-stream")).isEqualTo("open");
        });
        assertThat(attribute("#heatmap", "data-metric")).as("the default metric on UFM's columns").isEqualTo(CBW);
        assertThat(element("#aggregate-note").isDisplayed()).isTrue();
        // the map's ListMetrics leave out the fabric's ports (ports=false); only one-switch ones list them
        @SuppressWarnings("unchecked")
        List<String> mapRequests = (List<String>) chromium.script("return performance.getEntriesByType('resource')"
                + ".map(e => e.name).filter(n => n.includes('/telemetry/ListMetrics') && !n.includes('switch='))");
        assertThat(mapRequests).isNotEmpty().allMatch(url -> url.contains("ports=false"));
        assertCellsMatchTheAggregates(CBW);
        // the aggregate of a gauge is its ports' maximum, read from ListMetrics' switches
        assertThat(listMetrics().get("switches").get(GUIDS.get(1)).get(CBW).asDouble()).isEqualTo(24.0);
        for (int i = 0; i < GUIDS.size(); i++) {
            int index = i;
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                hover(index);
                assertThat(attribute("#tooltip", "data-switch")).isEqualTo(GUIDS.get(index));
                assertThat(text("#tooltip")).startsWith(GUIDS.get(index) + ": " + CBW + " " + (10 * (index + 1) + 4) + " %")
                        .contains(DESCRIPTIONS.get(index));
            });
        }
        showMetric(MB_OUT);
        assertCellsMatchTheAggregates(MB_OUT);
        showMetric(CBW);
        chromium.screenshot("ports-1-heatmap");
        assertThat(chromium.consoleProblems()).isEmpty();
    }

    @Test
    @Order(2)
    void theSwitchDetailShowsItsPortsForTheChosenMetricSortedByPortOrByValue() throws Exception {
        hover(1);
        new Actions(chromium.driver()).click().perform();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(attribute("#detail", "data-switch")).isEqualTo(GUIDS.get(1));
            assertThat(text("#detail-description")).isEqualTo("leaf-02");
            assertThat(text("#detail-value-head")).isEqualTo("Switch aggregate");
            assertThat(text("#detail-metrics tr[data-metric='" + CBW + "'] td")).isEqualTo("24 %");
            assertThat(dataAttributes("#ports-rows tr", "port")).containsExactly("1", "2", "3", "4");
            assertThat(texts("#ports-rows tr td")).containsExactly("22 %", "24 %", "21 %", "23 %");
        });
        assertThat(attribute("#ports-rows", "data-metric")).isEqualTo(CBW);
        assertThat(text("#ports-summary")).isEqualTo("4 ports, from 21 % to 24 %.");
        // only the open switch's ports are in the page
        assertThat(chromium.driver().findElements(By.cssSelector("#ports-rows tr"))).hasSize(PORTS);

        click("#ports-sort-value");
        assertThat(dataAttributes("#ports-rows tr", "port")).as("by value, highest first").containsExactly("2", "4", "1", "3");
        assertThat(attribute("th[data-sort='value']", "aria-sort")).isEqualTo("descending");
        click("#ports-sort-value");
        assertThat(dataAttributes("#ports-rows tr", "port")).as("by value, lowest first").containsExactly("3", "1", "4", "2");
        assertThat(attribute("th[data-sort='value']", "aria-sort")).isEqualTo("ascending");
        assertThat(attribute("th[data-sort='port']", "aria-sort")).isEqualTo("none");
        // the sort holds while new snapshots redraw the table
        long sequence = Long.parseLong(attribute("#heatmap", "data-sequence"));
        await().atMost(Duration.ofSeconds(10)).until(() -> Long.parseLong(attribute("#heatmap", "data-sequence")) > sequence + 1);
        assertThat(dataAttributes("#ports-rows tr", "port")).containsExactly("3", "1", "4", "2");
        click("#ports-sort-port");
        assertThat(dataAttributes("#ports-rows tr", "port")).containsExactly("1", "2", "3", "4");

        // another metric: the ports follow it
        showMetric(MB_OUT);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(attribute("#ports-rows", "data-metric")).isEqualTo(MB_OUT);
            assertThat(texts("#ports-rows tr td")).allMatch(value -> value.endsWith(" Gb"));
        });
        showMetric(CBW);

        // a port without a reading says so and sorts last by value; a tiny value keeps its digits
        hover(2);
        new Actions(chromium.driver()).click().perform();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(attribute("#detail", "data-switch")).isEqualTo(GUIDS.get(2));
            assertThat(texts("#ports-rows tr td")).containsExactly("32 %", "34 %", "31 %", "no reading");
        });
        click("#ports-sort-value");
        assertThat(dataAttributes("#ports-rows tr", "port")).containsExactly("2", "1", "3", "4");
        click("#ports-sort-value");
        assertThat(dataAttributes("#ports-rows tr", "port")).containsExactly("3", "1", "2", "4");
        click("#ports-sort-port");
        hover(0);
        new Actions(chromium.driver()).click().perform();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(text("#ports-rows tr[data-port='3'] td")).isEqualTo("5.48E-7 %"));
        chromium.screenshot("ports-2-detail");
        assertThat(chromium.consoleProblems()).isEmpty();
    }

    @Test
    @Order(3)
    void linksDownListsThePortsWhoseLinkDownedCounterRoseSinceTheirPreviousSample() throws Exception {
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertThat(ports("#link-down")).containsExactly(GUIDS.get(1) + " port 3");
            assertThat(text("#down-count")).isEqualTo("1");
            assertThat(text("#link-down li[data-port] .port-description")).isEqualTo("leaf-02");
        });
        // the map marks the switch with that port; leaf-01's old link-downs (a counter that stays at 2) do not count
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            hover(1);
            assertThat(text("#tooltip")).contains("a port's link went down since its previous sample");
        });
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            hover(0);
            assertThat(attribute("#tooltip", "data-switch")).isEqualTo(GUIDS.get(0));
            assertThat(text("#tooltip")).doesNotContain("went down");
        });
        assertThat(element("#heatmap").getDomAttribute("aria-label"))
                .contains("; 1 switch with a port whose link went down;");

        // clicking the port opens its switch with the port pointed out
        click("#link-down li[data-port='3'] button");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(attribute("#detail", "data-switch")).isEqualTo(GUIDS.get(1));
            assertThat(attribute("#ports-rows tr[data-port='3']", "class")).isEqualTo("chosen");
            assertThat(chromium.driver().findElements(By.cssSelector("#ports-rows tr.chosen"))).hasSize(1);
        });
        assertThat(chromium.driver().getCurrentUrl()).contains("switch=" + GUIDS.get(1)).contains("port=3");
        chromium.screenshot("ports-3-link-down");

        // the counter stops rising: no port went down since its previous sample
        flapping.set(false);
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertThat(ports("#link-down")).isEmpty();
            assertThat(text("#down-count")).isEqualTo("0");
            assertThat(text("#link-down")).isEqualTo("no link went down since the previous sample");
        });
        flapping.set(true);
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                assertThat(ports("#link-down")).containsExactly(GUIDS.get(1) + " port 3"));
        assertThat(chromium.consoleProblems()).isEmpty();
    }

    @Test
    @Order(4)
    void topPortsListsWhatTopPortsAnswersBesideTheTopSwitches() throws Exception {
        assertThat(element("#top-ports-panel").isDisplayed()).isTrue();
        assertThat(text("#top-what")).isEqualTo("Top 10 switches");
        for (String order : List.of("desc", "asc")) {
            new Select(element("#order")).selectByValue(order);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                JsonNode top = json.readTree(RunningFabric.get(fabric.metricsUrl(
                        "/telemetry/TopPorts?metric=" + CBW + "&limit=10&order=" + order)).body());
                assertThat(attribute("#top-ports", "data-sequence")).isEqualTo(top.get("sequence").asString());
                List<String> expected = top.get("ports").valueStream()
                        .map(row -> row.get("switch").asString() + " port " + row.get("port").asInt()).toList();
                assertThat(expected).hasSize(10);
                assertThat(ports("#top-ports")).containsExactlyElementsOf(expected);
                assertThat(texts("#top-ports li .port-value").get(0))
                        .isEqualTo(order.equals("desc") ? "34 %" : "5.48E-7 %");
            });
        }
        assertThat(ports("#top-ports").get(0)).isEqualTo(GUIDS.get(0) + " port 3");
        assertThat(texts("#top-ports li .port-description").get(0)).isEqualTo("leaf-01");
        new Select(element("#order")).selectByValue("desc");
        await().atMost(Duration.ofSeconds(10)).until(() -> ports("#top-ports").get(0).equals(GUIDS.get(2) + " port 2"));
        click("#top-ports li[data-switch='" + GUIDS.get(2) + "'][data-port='2'] button");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(attribute("#detail", "data-switch")).isEqualTo(GUIDS.get(2));
            assertThat(attribute("#ports-rows tr[data-port='2']", "class")).isEqualTo("chosen");
        });
        chromium.screenshot("ports-4-top-ports");
        assertThat(overflowing()).as("elements wider than a 1280x800 screen").isEmpty();
        chromium.resize(390, 844);
        try {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(overflowing()).as("elements wider than the phone's screen").isEmpty());
            chromium.screenshot("ports-5-phone");
        } finally {
            chromium.resize(1280, 800);
        }
        assertThat(chromium.consoleProblems()).isEmpty();
    }

    @Test
    @Order(5)
    void linksDownListsEveryPortDownUpToATopPortsAnswerAndCountsTheRest() throws Exception {
        // more than the first TopPorts answer's 50 ports at once: all of them (61), from one answer of 1000
        storm.set(60);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(text("#down-count")).isEqualTo("61");
            assertThat(ports("#link-down")).hasSize(61).contains(GUIDS.get(1) + " port 3", STORM_GUID + " port 60");
        });
        assertThat(chromium.script("return performance.getEntriesByType('resource').filter(e => e.name.includes("
                + "'/telemetry/TopPorts?metric=" + LINK_DOWNED_RATE + "&order=desc&limit=1000')).length > 0"))
                .isEqualTo(true);
        // more than TopPorts gives: the first 1000, and the count says there are more
        storm.set(1001);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(text("#down-count")).isEqualTo("1000+");
            assertThat(ports("#link-down")).hasSize(1000);
        });
        storm.set(0);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(ports("#link-down")).containsExactly(GUIDS.get(1) + " port 3"));
        assertThat(chromium.consoleProblems()).isEmpty();
    }

    // ---- helpers --------------------------------------------------------------------------------

    /**
     * Each cell painted in the viridis colour of its switch's aggregate in ListMetrics' {@code
     * switches}, on the scale the legend states; retried until page and API show the same snapshot.
     */
    private void assertCellsMatchTheAggregates(String metric) {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Map<String, Object> painted = chromium.scriptMap("""
                    const canvas = document.getElementById('heatmap');
                    return {sequence: canvas.dataset.sequence, metric: canvas.dataset.metric,
                            count: canvas.dataset.count, columns: canvas.dataset.columns, cell: canvas.dataset.cell,
                            ratio: canvas.width / canvas.clientWidth, png: canvas.toDataURL('image/png')};
                    """);
            JsonNode list = listMetrics();
            assertThat(painted.get("sequence")).isEqualTo(list.get("sequence").asString());
            assertThat(painted.get("metric")).isEqualTo(metric);
            Map<String, Double> values = new LinkedHashMap<>();
            list.get("switches").properties().forEach(entry -> {
                JsonNode value = entry.getValue().get(metric);
                values.put(entry.getKey(), value.isNull() ? null : value.asDouble());
            });
            assertThat(values.keySet()).containsExactlyElementsOf(GUIDS);
            String png = (String) painted.get("png");
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(
                    Base64.getDecoder().decode(png.substring(png.indexOf(',') + 1))));
            int columns = Integer.parseInt((String) painted.get("columns"));
            int cell = Integer.parseInt((String) painted.get("cell"));
            double ratio = ((Number) painted.get("ratio")).doubleValue();
            double min = values.values().stream().filter(Objects::nonNull).mapToDouble(Double::doubleValue).min().orElseThrow();
            double max = values.values().stream().filter(Objects::nonNull).mapToDouble(Double::doubleValue).max().orElseThrow();
            int i = 0;
            for (Map.Entry<String, Double> entry : values.entrySet()) {
                int rgb = image.getRGB((int) Math.floor(((i % columns) * cell + cell / 2 - 1) * ratio),
                        (int) Math.floor(((i / columns) * cell + cell / 2 - 1) * ratio));
                int[] colour = {(rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff};
                Double value = entry.getValue();
                int[] expected = value == null ? new int[] {208, 208, 208}
                        : Viridis.colour(max == min ? 0.5 : (value - min) / (max - min));
                int distance = Math.max(Math.abs(colour[0] - expected[0]),
                        Math.max(Math.abs(colour[1] - expected[1]), Math.abs(colour[2] - expected[2])));
                assertThat(distance).as("cell %d (%s = %s)", i, entry.getKey(), value).isLessThanOrEqualTo(4);
                i++;
            }
        });
    }

    private static JsonNode listMetrics() throws Exception {
        return json.readTree(RunningFabric.get(fabric.metricsUrl("/telemetry/ListMetrics")).body());
    }

    /** "GUID port N" of every port item of a list, read in one script run (lists are re-rendered live). */
    @SuppressWarnings("unchecked")
    private static List<String> ports(String list) {
        return (List<String>) chromium.script("return [...document.querySelectorAll(arguments[0] + ' li[data-port]')]"
                + ".map(e => e.dataset.switch + ' port ' + e.dataset.port)", list);
    }

    @SuppressWarnings("unchecked")
    private static List<String> dataAttributes(String css, String name) {
        return (List<String>) chromium.script(
                "return [...document.querySelectorAll(arguments[0])].map(e => e.dataset[arguments[1]])", css, name);
    }

    @SuppressWarnings("unchecked")
    private static List<String> texts(String css) {
        return (List<String>) chromium.script(
                "return [...document.querySelectorAll(arguments[0])].map(e => e.textContent)", css);
    }

    @SuppressWarnings("unchecked")
    private static List<String> overflowing() {
        return (List<String>) chromium.script("""
                const width = document.documentElement.clientWidth;
                return [...document.querySelectorAll('body *')]
                  .filter(e => e.getClientRects().length && e.getBoundingClientRect().right > width + 0.5)
                  .map(e => `${e.tagName.toLowerCase()}#${e.id}.${e.className} right=${e.getBoundingClientRect().right} > ${width}`);
                """);
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

    /**
     * An attribute, read in one script run: the lists and tables are re-rendered on every snapshot,
     * so an element found in one WebDriver call may be gone (stale) in the next.
     */
    private static String attribute(String css, String name) {
        return (String) chromium.script("const e = document.querySelector(arguments[0]);"
                + " return e === null ? null : e.getAttribute(arguments[1])", css, name);
    }

    /** The rendered text (empty when not displayed), read in one script run. */
    private static String text(String css) {
        return (String) chromium.script("const e = document.querySelector(arguments[0]);"
                + " return e === null ? null : e.getClientRects().length ? e.innerText.trim() : ''", css);
    }

    /** Clicks, again if a new snapshot re-rendered the element between finding and clicking it. */
    private static void click(String css) {
        await().atMost(Duration.ofSeconds(10)).ignoreException(StaleElementReferenceException.class)
                .until(() -> {
                    element(css).click();
                    return true;
                });
    }
}
