package io.fabrictelemetry.metrics.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The dashboard in a real browser (Debian's headless Chromium) against the real services: the
 * generator jar and the metrics-service on free ports. Each state it reaches is saved as a
 * screenshot under target/dashboard-screenshots/. The tests run in order on one page, the way an
 * operator would use it; the last one stops the generator.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(BrowserTests.class)
class DashboardBrowserIT {

    private static final Duration STALE_AFTER = Duration.ofSeconds(5);
    private static final Duration POLL_INTERVAL = Duration.ofSeconds(1);
    private static final int SWITCHES = 96;
    private static final JsonMapper json = JsonMapper.builder().build();

    private static RunningFabric fabric;
    private static HeadlessChromium chromium;

    @BeforeAll
    static void startTheFabricAndABrowser() throws Exception {
        chromium = HeadlessChromium.start(1280, 800);
        fabric = RunningFabric.start(Map.of(
                        "GENERATOR_SWITCHES", Integer.toString(SWITCHES),
                        "GENERATOR_SEED", "11",
                        "GENERATOR_PERIOD", "1s",
                        // a few links go down every period, each for 2 to 5 periods
                        "GENERATOR_LINK_DOWN_PROBABILITY", "0.05"),
                "--poll.interval=" + POLL_INTERVAL.toMillis() + "ms", "--poll.timeout=900ms",
                "--stale.after=" + STALE_AFTER.toMillis() + "ms");
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
    }

    @Test
    @Order(1)
    void pageLoadsFreshAndLiveWithNoConsoleErrors() throws Exception {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(attribute("body", "data-state")).isEqualTo("fresh");
            assertThat(attribute("#heatmap", "data-count")).isEqualTo(Integer.toString(SWITCHES));
            assertThat(attribute("#freshness", "data-stream")).isEqualTo("open");
        });
        assertThat(text("#badge")).isEqualTo("Live");
        assertThat(text("#fresh-state")).isEqualTo("fresh");
        assertThat(text("#fresh-sampled")).endsWith(" UTC");
        assertThat(overflowing()).as("elements wider than a 1280x800 screen").isEmpty();
        chromium.screenshot("1-loaded");
        assertThat(chromium.consoleProblems()).isEmpty();
    }

    @Test
    @Order(2)
    void heatmapPaintsOneCellPerSwitchInTheColourOfItsValue() throws Exception {
        String metric = attribute("#heatmap", "data-metric");
        assertThat(metric).isEqualTo("utilization_pct");
        assertCellsMatchTheApi(metric);
    }

    @Test
    @Order(3)
    void changingTheMetricRecoloursTheHeatmap() throws Exception {
        List<int[]> before = paintedCells().colours();
        showMetric("latency_us");
        assertCellsMatchTheApi("latency_us");
        List<int[]> after = paintedCells().colours();
        long recoloured = java.util.stream.IntStream.range(0, SWITCHES)
                .filter(i -> distance(before.get(i), after.get(i)) > 12).count();
        assertThat(recoloured).as("cells whose colour changed with the metric").isGreaterThan(SWITCHES / 2);
        assertThat(text("#heatmap-metric")).contains("latency_us");
        assertThat(driverUrl()).contains("metric=latency_us");
        chromium.screenshot("2-latency");
    }

    @Test
    @Order(4)
    void hoveringACellShowsItsSwitchValueAndSampledAt() throws Exception {
        int index = 13;
        untilThePageAgreesWithTheApi(() -> {
            hover(index);
            WebElement tooltip = element("#tooltip");
            assertThat(tooltip.isDisplayed()).isTrue();
            String switchId = String.format("sw-%04d", index + 1);
            assertThat(tooltip.getDomAttribute("data-switch")).isEqualTo(switchId);
            JsonNode list = listMetrics();
            String sampledAt = list.get("sampledAt").asString().replace('T', ' ').replace("Z", " UTC");
            assertThat(tooltip.getText()).startsWith(switchId + ": latency_us ").contains("sampled " + sampledAt);
        });
        chromium.screenshot("3-hover");
    }

    @Test
    @Order(5)
    void aSwitchWhoseLinkIsDownAppearsInTheLinkDownList() throws Exception {
        untilThePageAgreesWithTheApi(() -> {
            JsonNode list = listMetrics();
            List<String> down = new ArrayList<>();
            list.get("switches").properties().forEach(entry -> {
                if (entry.getValue().get("link_state").asInt() == 0) {
                    down.add(entry.getKey());
                }
            });
            assertThat(down).as("link-down switches in the generator's output").isNotEmpty();
            assertThat(attribute("#heatmap", "data-sequence")).isEqualTo(list.get("sequence").asString());
            assertThat(listedSwitches("#link-down")).containsExactlyElementsOf(down);
            assertThat(text("#down-count")).isEqualTo(Integer.toString(down.size()));
        });
        chromium.screenshot("4-link-down");
    }

    @Test
    @Order(6)
    void topTenListsWhatTopSwitchesAnswers() throws Exception {
        untilThePageAgreesWithTheApi(() -> {
            JsonNode top = json.readTree(RunningFabric.get(
                    fabric.metricsUrl("/telemetry/TopSwitches?metric=latency_us&limit=10")).body());
            assertThat(attribute("#top", "data-sequence")).isEqualTo(top.get("sequence").asString());
            assertThat(listedSwitches("#top")).containsExactlyElementsOf(
                    top.get("switches").valueStream().map(row -> row.get("switch").asString()).toList());
        });
        assertThat(listedSwitches("#top")).hasSize(10);
    }

    @Test
    @Order(7)
    void aNewSnapshotReachesThePageOverTheStreamWithoutAReload() throws Exception {
        chromium.script("window.notReloaded = true");
        long listMetricsFetches = listMetricsFetches();
        long first = Long.parseLong(attribute("#heatmap", "data-sequence"));
        await().atMost(Duration.ofSeconds(20)).until(
                () -> Long.parseLong(attribute("#heatmap", "data-sequence")) >= first + 2);
        assertThat(chromium.script("return window.notReloaded === true")).isEqualTo(true);
        assertThat(listMetricsFetches()).as("ListMetrics requests: the updates came over the stream, not by polling")
                .isEqualTo(listMetricsFetches);
        assertThat(attribute("#freshness", "data-stream")).isEqualTo("open");
        assertCellsMatchTheApi("latency_us");
    }

    @Test
    @Order(8)
    void clickingASwitchShowsAllItsMetricsAndItsHistory() throws Exception {
        int index = 4;
        String switchId = String.format("sw-%04d", index + 1);
        hover(index);
        new Actions(chromium.driver()).click().perform();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(element("#detail").isDisplayed()).isTrue();
            assertThat(attribute("#detail", "data-switch")).isEqualTo(switchId);
            assertThat(text("#detail-title")).isEqualTo(switchId);
            List<String> metrics = listMetrics().get("metrics").valueStream().map(JsonNode::asString).toList();
            assertThat(dataAttributes("#detail-metrics tr", "metric")).containsExactlyElementsOf(metrics);
        });
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode history = json.readTree(RunningFabric.get(fabric.metricsUrl(
                    "/telemetry/GetMetricHistory?switch=" + switchId + "&metric=latency_us")).body());
            int points = Integer.parseInt(attribute("#sparkline", "data-points"));
            assertThat(points).isGreaterThanOrEqualTo(2)
                    .isBetween(history.get("points").size() - 2, history.get("points").size() + 2);
            assertThat(chromium.driver().findElements(By.cssSelector("#sparkline polyline, #sparkline circle")))
                    .isNotEmpty();
            assertThat(text("#sparkline-caption")).contains("latency_us: " + points + " points from ");
        });
        chromium.screenshot("5-detail");
        // the README's picture (docs/dashboard.png): the whole page, the default metric, a switch open
        chromium.resize(1280, 1250);
        try {
            showMetric("utilization_pct");
            await().atMost(Duration.ofSeconds(10)).until(() -> Integer.parseInt(attribute("#sparkline", "data-points")) >= 2);
            chromium.script("window.scrollTo(0, 0)");
            chromium.screenshot("dashboard");
        } finally {
            chromium.resize(1280, 800);
            showMetric("latency_us");
        }
    }

    @Test
    @Order(9)
    void theKeyboardAloneMovesOverTheMapAndOpensASwitch() throws Exception {
        element("#detail-close").click();
        await().atMost(Duration.ofSeconds(5)).until(() -> !element("#detail").isDisplayed());
        assertThat(chromium.script("return document.activeElement.id")).as("focus back on the map").isEqualTo("heatmap");
        WebElement map = element("#heatmap");
        map.sendKeys(Keys.HOME, Keys.ARROW_RIGHT, Keys.ARROW_RIGHT);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(text("#heatmap-announcer")).startsWith("sw-0003: latency_us "));
        map.sendKeys(Keys.ENTER);
        await().atMost(Duration.ofSeconds(5)).until(() -> "sw-0003".equals(attribute("#detail", "data-switch")));
        assertThat(chromium.script("return document.activeElement.id")).isEqualTo("detail-title");
        chromium.driver().switchTo().activeElement().sendKeys(Keys.ESCAPE);
        await().atMost(Duration.ofSeconds(5)).until(() -> !element("#detail").isDisplayed());
    }

    @Test
    @Order(10)
    void everyPartIsUsableAtPhoneWidth() throws Exception {
        chromium.resize(390, 844);
        try {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(overflowing()).as("elements wider than the phone's screen").isEmpty();
                assertThat(attribute("#heatmap", "data-count")).isEqualTo(Integer.toString(SWITCHES));
                long columns = Long.parseLong(attribute("#heatmap", "data-columns"));
                long cell = Long.parseLong(attribute("#heatmap", "data-cell"));
                assertThat(columns * cell).isLessThanOrEqualTo(390);
            });
            for (String part : List.of("#heatmap", "#legend", "#freshness", "#down-title", "#top-title", "#metric")) {
                assertThat(element(part).isDisplayed()).as(part).isTrue();
            }
            chromium.screenshot("6-phone");
        } finally {
            chromium.resize(1280, 800);
        }
        assertThat(chromium.consoleProblems()).isEmpty();
    }

    @Test
    @Order(11)
    void stoppingTheGeneratorShowsTheStaleStateWithinStaleAfterPlusOneInterval() throws Exception {
        await().atMost(Duration.ofSeconds(10)).until(() -> "fresh".equals(attribute("body", "data-state")));
        long stoppedAt = System.currentTimeMillis();
        fabric.stopGenerator();
        Duration limit = STALE_AFTER.plus(POLL_INTERVAL);
        await().atMost(limit.plusSeconds(10)).until(() -> "stale".equals(attribute("body", "data-state")));
        long staleSince = Long.parseLong(attribute("body", "data-stale-since"));
        assertThat(staleSince - stoppedAt).as("ms from the generator's stop to the stale state on the page")
                .isLessThanOrEqualTo(limit.toMillis());
        assertThat(attribute("#freshness", "data-state")).isEqualTo("stale");
        assertThat(text("#badge")).isEqualTo("Stale data");
        assertThat(element("#stale-banner").isDisplayed()).isTrue();
        assertThat(text("#stale-banner")).startsWith("Stale data: ");
        assertThat(element("#heatmap").getDomAttribute("aria-label")).endsWith("the data is stale");
        chromium.screenshot("7-stale");
    }

    // ---- helpers --------------------------------------------------------------------------------

    private record PaintedCells(String sequence, String metric, double min, double max, List<int[]> colours) {
    }

    /**
     * The colour at the centre of every cell, with the sequence and scale painted, taken in one
     * script run: the canvas as a PNG, decoded here (no pixel readback in the page).
     */
    private PaintedCells paintedCells() throws IOException {
        Map<String, Object> painted = chromium.scriptMap("""
                const canvas = document.getElementById('heatmap');
                const legend = document.getElementById('legend').dataset;
                return {sequence: canvas.dataset.sequence, metric: canvas.dataset.metric,
                        count: canvas.dataset.count, columns: canvas.dataset.columns, cell: canvas.dataset.cell,
                        ratio: canvas.width / canvas.clientWidth, min: legend.min, max: legend.max,
                        png: canvas.toDataURL('image/png')};
                """);
        String png = (String) painted.get("png");
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(
                Base64.getDecoder().decode(png.substring(png.indexOf(',') + 1))));
        int count = Integer.parseInt((String) painted.get("count"));
        int columns = Integer.parseInt((String) painted.get("columns"));
        int cell = Integer.parseInt((String) painted.get("cell"));
        double ratio = ((Number) painted.get("ratio")).doubleValue();
        List<int[]> colours = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int x = (int) Math.floor(((i % columns) * cell + cell / 2 - 1) * ratio);
            int y = (int) Math.floor(((i / columns) * cell + cell / 2 - 1) * ratio);
            int rgb = image.getRGB(x, y);
            colours.add(new int[] {(rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff});
        }
        String min = (String) painted.get("min");
        String max = (String) painted.get("max");
        return new PaintedCells((String) painted.get("sequence"), (String) painted.get("metric"),
                min.isEmpty() ? Double.NaN : Double.parseDouble(min), max.isEmpty() ? Double.NaN : Double.parseDouble(max),
                colours);
    }

    /**
     * One cell per switch of ListMetrics, in its order, each painted with the viridis colour of its
     * value on the scale the legend states (grey when there is no reading); retried until the page
     * and the API show the same snapshot (a new one arrives every second).
     */
    private void assertCellsMatchTheApi(String metric) {
        untilThePageAgreesWithTheApi(() -> {
            PaintedCells painted = paintedCells();
            JsonNode list = listMetrics();
            assertThat(painted.sequence()).isEqualTo(list.get("sequence").asString());
            assertThat(painted.metric()).isEqualTo(metric);
            Map<String, Double> values = new LinkedHashMap<>();
            list.get("switches").properties().forEach(entry -> {
                JsonNode value = entry.getValue().get(metric);
                values.put(entry.getKey(), value.isNull() ? null : value.asDouble());
            });
            assertThat(painted.colours()).hasSize(values.size()).hasSize(SWITCHES);
            double min = values.values().stream().filter(Objects::nonNull).mapToDouble(Double::doubleValue).min().orElseThrow();
            double max = values.values().stream().filter(Objects::nonNull).mapToDouble(Double::doubleValue).max().orElseThrow();
            assertThat(painted.min()).as("legend minimum").isEqualTo(min);
            assertThat(painted.max()).as("legend maximum").isEqualTo(max);
            int i = 0;
            for (Map.Entry<String, Double> entry : values.entrySet()) {
                Double value = entry.getValue();
                int[] expected = value == null ? new int[] {208, 208, 208}
                        : Viridis.colour(max == min ? 0.5 : (value - min) / (max - min));
                assertThat(distance(painted.colours().get(i), expected))
                        .as("cell %d (%s = %s): painted %s, expected %s", i, entry.getKey(), value,
                                java.util.Arrays.toString(painted.colours().get(i)), java.util.Arrays.toString(expected))
                        .isLessThanOrEqualTo(4);
                i++;
            }
        });
    }

    /**
     * The page and the API agree once both show the same snapshot: a new one is published every
     * second, so an assertion that compares them is retried (the page follows by itself, live).
     */
    private void untilThePageAgreesWithTheApi(ThrowingRunnable assertion) {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(assertion::run);
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    private static int distance(int[] a, int[] b) {
        return Math.max(Math.abs(a[0] - b[0]), Math.max(Math.abs(a[1] - b[1]), Math.abs(a[2] - b[2])));
    }

    /** Elements that reach past the right edge of the viewport (they would make the page scroll sideways). */
    @SuppressWarnings("unchecked")
    private List<String> overflowing() {
        return (List<String>) chromium.script("""
                const width = document.documentElement.clientWidth;
                return [...document.querySelectorAll('body *')]
                  .filter(e => e.getClientRects().length && e.getBoundingClientRect().right > width + 0.5)
                  .map(e => `${e.tagName.toLowerCase()}#${e.id}.${e.className} right=${e.getBoundingClientRect().right} > ${width}`);
                """);
    }

    private void showMetric(String metric) {
        new Select(element("#metric")).selectByValue(metric);
        await().atMost(Duration.ofSeconds(10)).until(() -> metric.equals(attribute("#heatmap", "data-metric")));
    }

    /** Moves the mouse over the centre of the index-th cell. */
    private void hover(int index) {
        WebElement map = element("#heatmap");
        int columns = Integer.parseInt(map.getDomAttribute("data-columns"));
        int cell = Integer.parseInt(map.getDomAttribute("data-cell"));
        int x = (index % columns) * cell + cell / 2;
        int y = (index / columns) * cell + cell / 2;
        new Actions(chromium.driver())
                .moveToElement(map, x - map.getSize().getWidth() / 2, y - map.getSize().getHeight() / 2)
                .perform();
    }

    /**
     * ListMetrics requests for the map's data; the one-switch {@code ListMetrics?switch=} the page makes
     * per snapshot to read the metric names (a few hundred bytes) is not one.
     */
    private long listMetricsFetches() {
        return ((Number) chromium.script("return performance.getEntriesByType('resource')"
                + ".filter(e => e.name.includes('/telemetry/ListMetrics') && !e.name.includes('switch=')).length"))
                .longValue();
    }

    private JsonNode listMetrics() throws Exception {
        return json.readTree(RunningFabric.get(fabric.metricsUrl("/telemetry/ListMetrics")).body());
    }

    private List<String> listedSwitches(String list) {
        return dataAttributes(list + " li[data-switch]", "switch");
    }

    /** The data-* attribute of every element matching, read in one script run: live lists are re-rendered. */
    @SuppressWarnings("unchecked")
    private List<String> dataAttributes(String css, String name) {
        return (List<String>) chromium.script(
                "return [...document.querySelectorAll(arguments[0])].map(e => e.dataset[arguments[1]])", css, name);
    }

    private WebElement element(String css) {
        return chromium.driver().findElement(By.cssSelector(css));
    }

    private String attribute(String css, String name) {
        return element(css).getDomAttribute(name);
    }

    private String text(String css) {
        return element(css).getText();
    }

    private String driverUrl() {
        return chromium.driver().getCurrentUrl();
    }
}
