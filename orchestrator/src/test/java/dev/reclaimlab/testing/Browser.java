package dev.reclaimlab.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A real headless Chromium (Debian's chromium and chromium-driver) that opens a page from a file URL, the way a
 * person opens a report. Fails, never skips, when the browser is missing.
 */
public final class Browser implements AutoCloseable {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private final ChromeDriver driver;

    /** What the page did: console errors, drawn charts, and where its screenshot went. */
    public record Visit(List<String> consoleErrors, int charts, int emptyCharts, Path screenshot, String title) {}

    public Browser() {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(DRIVER)) {
            fail("headless Chromium is missing: apt-get install -y chromium chromium-driver (scripts/test does)");
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // As root on a machine without network: no sandbox, and nothing that phones home.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,2000");
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
    }

    public Visit open(Path page, Path screenshot) throws Exception {
        driver.get(page.toUri().toString());
        List<String> errors = consoleErrors();
        List<WebElement> charts = driver.findElements(By.cssSelector("svg.chart"));
        int empty = 0;
        for (WebElement chart : charts) {
            // A drawn chart has data marks (lines, dots, bars: class "mark") with a real size on the page.
            List<WebElement> marks = chart.findElements(By.cssSelector(".mark"));
            boolean drawn = chart.getSize().getHeight() > 50
                    && marks.stream().anyMatch(m -> m.getSize().getWidth() > 0 || m.getSize().getHeight() > 0);
            empty += drawn ? 0 : 1;
        }
        List<WebElement> drawnCharts = driver.findElements(By.cssSelector("div.uchart"));
        for (WebElement chart : drawnCharts) {
            // A uPlot chart is a canvas: drawn when pixels in its series' colours are on it (axes and grid are grey).
            empty += seriesPixels(chart, -1) > 0 ? 0 : 1;
        }
        File shot = driver.getScreenshotAs(OutputType.FILE);
        Files.createDirectories(screenshot.getParent());
        Files.copy(shot.toPath(), screenshot, StandardCopyOption.REPLACE_EXISTING);
        return new Visit(errors, charts.size() + drawnCharts.size(), empty, screenshot, driver.getTitle());
    }

    /**
     * Pixels of a uPlot chart's canvas in the colour of its series {@code index} (0 = the first data series), or in
     * any series' colour with -1: what is drawn, not what the page meant to draw.
     */
    public long seriesPixels(WebElement chart, int index) {
        Object n = ((JavascriptExecutor) driver).executeScript(String.join("\n",
                "var div = arguments[0], index = arguments[1];",
                "var u = div.uplot; if (!u) return 0;",
                "var colours = u.series.slice(1).map(function (s) { return s._stroke || s.stroke; })",
                "  .filter(function (c, i) { return index < 0 || i === index; })",
                "  .map(function (c) { c = String(c); return [parseInt(c.substr(1, 2), 16), parseInt(c.substr(3, 2), 16),"
                        + " parseInt(c.substr(5, 2), 16)]; });",
                "var canvas = div.querySelector('canvas'); var d = canvas.getContext('2d')",
                "  .getImageData(0, 0, canvas.width, canvas.height).data; var count = 0;",
                "for (var i = 0; i < d.length; i += 4) {",
                "  for (var k = 0; k < colours.length; k++) { var c = colours[k];",
                "    if (d[i + 3] > 200 && Math.abs(d[i] - c[0]) < 12 && Math.abs(d[i + 1] - c[1]) < 12"
                        + " && Math.abs(d[i + 2] - c[2]) < 12) { count++; break; } } }",
                "return count;"), chart, index);
        return ((Number) n).longValue();
    }

    /** The browser itself, for tests that click and type on the page they opened. */
    public WebDriver driver() {
        return driver;
    }

    /** The console's errors since the last look (opening a page reads them too). */
    public List<String> consoleErrors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).map(LogEntry::getMessage).toList();
    }

    @Override
    public void close() {
        driver.quit();
    }
}
