package io.fabrictelemetry.metrics.dashboard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Headless Chromium driven through its chromedriver, with a fresh profile directory and no network
 * use of its own. {@link BrowserTests} finds the binaries ({@code CHROMIUM_BIN} and
 * {@code CHROMEDRIVER_BIN}, then the usual places) and skips a test class without them unless they
 * are required; a required browser that is missing fails here, saying what was looked for.
 */
final class HeadlessChromium implements AutoCloseable {

    static final Path SCREENSHOTS = Path.of("target", "dashboard-screenshots");

    private final ChromeDriver driver;

    private HeadlessChromium(ChromeDriver driver) {
        this.driver = driver;
    }

    static HeadlessChromium start(int width, int height) throws IOException {
        BrowserTests.Lookup lookup = BrowserTests.lookup();
        BrowserTests.Binaries binaries = lookup.binaries().orElseThrow(() -> new AssertionError(
                "The dashboard's browser tests are required (" + lookup.requiredBy() + ") but " + lookup.missing()
                        + " could not be found: apt-get install chromium chromium-driver (.ci/run installs them), "
                        + "or set CHROMIUM_BIN and CHROMEDRIVER_BIN"));
        Path browser = binaries.chromium();
        Path chromedriver = binaries.chromedriver();
        Path profile = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "chromium-profile-");

        ChromeOptions options = new ChromeOptions();
        options.setBinary(browser.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-quic", "--no-first-run", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile.toAbsolutePath(),
                "--window-size=" + width + "," + height, "--force-device-scale-factor=1");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);

        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromedriver.toFile())
                .usingAnyFreePort()
                .withLogFile(Path.of("target", "chromedriver.log").toFile())
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20)).pageLoadTimeout(Duration.ofSeconds(30));
        return new HeadlessChromium(driver);
    }

    ChromeDriver driver() {
        return driver;
    }

    void resize(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
    }

    /** Writes target/dashboard-screenshots/{name}.png. */
    Path screenshot(String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        Path file = SCREENSHOTS.resolve(name + ".png");
        Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
        return file;
    }

    /** The console's warnings and errors since the last call (failed loads included). */
    List<String> consoleProblems() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.WARNING.intValue())
                .map(LogEntry::toString)
                .toList();
    }

    Object script(String script, Object... arguments) {
        return driver.executeScript(script, arguments);
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> scriptMap(String script, Object... arguments) {
        return (Map<String, Object>) driver.executeScript(script, arguments);
    }

    @Override
    public void close() {
        driver.quit();
    }
}
