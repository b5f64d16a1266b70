package dev.descent.examples.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The lab as a person uses it, in a real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}, which
 * {@code .ci/run} installs): sliders move the paths, the network trains and its gradient bars change, bad parameters
 * show an error in the page. Skipped, with a message, where the browser is not installed. Screenshots of both
 * playgrounds go to {@code target/lab-optimizer.png} and {@code target/lab-network.png}.
 */
class LabBrowserTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium"), CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static LabServer server;
    static ChromeDriver driver;
    static Path profile;

    @BeforeAll
    static void start() throws IOException {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "skipped: the lab's browser test needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)");
        server = LabServer.start(0);
        profile = Files.createTempDirectory("descent-lab-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-dev-shm-usage", "--window-size=1400,1500", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stop() throws IOException {
        if (driver != null) driver.quit();
        if (server != null) server.close();
        if (profile != null) {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @BeforeEach
    void load() {
        driver.get(server.uri().toString());
        waitFor("the first paths", () -> rows() == 3);
    }

    static WebDriverWait waiting() {
        return new WebDriverWait(driver, Duration.ofSeconds(20));
    }

    static void waitFor(String what, java.util.function.BooleanSupplier condition) {
        waiting().withMessage(what).until(d -> condition.getAsBoolean());
    }

    static long rows() {
        return (Long) js("return document.querySelectorAll('#opt-summary tbody tr').length");
    }

    static Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** The canvas's pixels, so that two moments can be compared. */
    static String pixels(String canvasId) {
        return (String) js("return document.getElementById(arguments[0]).toDataURL()", canvasId);
    }

    static void screenshot(String name) throws IOException {
        Path shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
        Files.createDirectories(Path.of("target"));
        Files.copy(shot, Path.of("target", name), StandardCopyOption.REPLACE_EXISTING);
    }

    /** Read in one script: the table is rebuilt whenever a new result arrives. */
    static String finalGap(int row) {
        return (String) js("const c = document.querySelectorAll('#opt-summary .final-gap')[arguments[0]]; return c ? c.textContent : ''", row);
    }

    static String rowText(int row) {
        return (String) js("const r = document.querySelectorAll('#opt-summary tbody tr')[arguments[0]]; return r ? r.textContent : ''", row);
    }

    @Test
    void movingTheLearningRateSliderRecomputesThePathAndTheLoss() throws IOException {
        String before = finalGap(0), map = pixels("contour"), loss = pixels("gap");
        WebElement lr = driver.findElements(By.cssSelector("#optimizers .opt-card input[data-name=lr]")).get(0);
        for (int i = 0; i < 40; i++) lr.sendKeys(Keys.ARROW_RIGHT);
        waitFor("the first optimizer's f − f* to change after the slider moved", () -> !finalGap(0).equals(before));
        waitFor("the animation to finish", () -> !pixels("contour").equals(map));
        sleep(1200);
        assertNotEquals(map, pixels("contour"), "the path over the contour map is redrawn");
        assertNotEquals(loss, pixels("gap"), "the f − f* chart is redrawn");
        assertTrue(rowText(0).contains("SGD (lr 0.0"), rowText(0));
        screenshot("lab-optimizer.png");
    }

    @Test
    void theQuadraticShowsThePerEigenDirectionErrors() {
        assertFalse(driver.findElement(By.id("eigen-figure")).isDisplayed(), "no eigen view on Rosenbrock");
        new Select(driver.findElement(By.id("landscape"))).selectByValue("quadratic");
        waitFor("the eigen-direction chart", () -> driver.findElement(By.id("eigen-figure")).isDisplayed());
        assertTrue(driver.findElement(By.id("kappa")).isDisplayed(), "the condition-number slider appears on the quadratic");
    }

    @Test
    void anInvalidOptimizerCombinationIsShownInThePage() {
        WebElement nesterov = driver.findElements(By.cssSelector("#optimizers .opt-card input[data-name=nesterov]")).get(0);
        nesterov.click(); // the first card is plain gradient descent: Nesterov without momentum is refused by SGD itself
        WebElement error = driver.findElement(By.id("opt-error"));
        waitFor("the error box", error::isDisplayed);
        assertTrue(error.getText().startsWith("optimizers[0] (SGD): "), error.getText());
        nesterov.click();
        waitFor("the error box to go once the combination is valid again", () -> !error.isDisplayed());
    }

    @Test
    void theNetworkTrainsAndItsBoundaryAndGradientBarsChange() throws IOException {
        driver.findElement(By.id("tab-network")).click();
        WebElement status = driver.findElement(By.id("net-status"));
        waitFor("the network session", () -> "0".equals(status.getDomAttribute("data-step")));
        String boundary = pixels("boundary");
        driver.findElement(By.id("net-step")).click();
        waitFor("one step", () -> "1".equals(status.getDomAttribute("data-step")));
        List<WebElement> bars = driver.findElements(By.className("grad-bar"));
        assertEquals(4, bars.size(), "three hidden layers and the output layer");
        String widths = barWidths();
        driver.findElement(By.id("net-start")).click();
        waitFor("training to pass step 150", () -> Integer.parseInt(status.getDomAttribute("data-step")) >= 150);
        driver.findElement(By.id("net-start")).click();
        assertNotEquals(boundary, pixels("boundary"), "the decision boundary moved");
        assertNotEquals(widths, barWidths(), "the gradient bars changed");
        screenshot("lab-network.png");
    }

    static String barWidths() {
        return (String) js("return Array.from(document.querySelectorAll('.grad-bar')).map(b => b.style.width).join(',')");
    }

    /** Sets a range input as a drag would, with its input event. */
    static void setRange(String id, int value) {
        js("const e = document.getElementById(arguments[0]); e.value = arguments[1]; e.dispatchEvent(new Event('input'))", id, value);
    }

    @Test
    void twentySigmoidLayersShowVanishingGradients() throws IOException {
        driver.findElement(By.id("tab-network")).click();
        WebElement status = driver.findElement(By.id("net-status"));
        waitFor("the network session", () -> "0".equals(status.getDomAttribute("data-step")));
        String resets = status.getDomAttribute("data-resets");
        new Select(driver.findElement(By.id("activation"))).selectByValue("sigmoid");
        setRange("depth", 20);
        setRange("width", 16);
        assertEquals("20", driver.findElement(By.id("depth-value")).getText());
        // the changes are gathered into one reset, a moment after the last
        waitFor("the 20-layer session", () -> Integer.parseInt(status.getDomAttribute("data-resets")) > Integer.parseInt(resets));
        driver.findElement(By.id("net-step")).click();
        waitFor("21 gradient bars", () -> driver.findElements(By.className("grad-row")).size() == 21);
        assertFalse(driver.findElements(By.cssSelector(".grad-row.health-vanishing")).isEmpty(), "the layers near the input vanish");
        screenshot("lab-network-vanishing.png");
    }

    @Test
    void aBadBatchSizeIsShownInThePage() {
        driver.findElement(By.id("tab-network")).click();
        driver.findElement(By.id("batchnorm")).click();
        WebElement batch = driver.findElement(By.id("batch-size"));
        batch.clear();
        batch.sendKeys("1", Keys.TAB);
        WebElement error = driver.findElement(By.id("net-error"));
        // clearing the field may show its own error first (an empty field reads as 0); the last change must win
        String expected = "batchSize: BatchNorm needs at least 2 examples per batch to compute a variance, got 1";
        waiting().withMessage(() -> "the error box to say <" + expected + ">, it says <" + error.getText() + ">")
                .until(d -> error.isDisplayed() && expected.equals(error.getText()));
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
