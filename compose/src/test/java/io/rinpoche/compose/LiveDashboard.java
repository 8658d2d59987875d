package io.rinpoche.compose;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The deploy service's dashboard in Debian's headless Chromium (through /usr/bin/chromedriver), as a person
 * uses it: open, sign in, read an environment or the timeline, click a rollback button and confirm.
 */
final class LiveDashboard implements AutoCloseable {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration WAIT = Duration.ofSeconds(15);

    private final URI base;
    private final Path profile;
    private final ChromeDriver driver;

    private LiveDashboard(URI base, Path profile, ChromeDriver driver) {
        this.base = base;
        this.profile = profile;
        this.driver = driver;
    }

    /** Opens {@code base} in a new browser with an empty profile; fails (never skips) without Debian's chromium. */
    static LiveDashboard open(URI base) throws IOException {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new IllegalStateException("Debian's chromium and chromedriver are needed at " + CHROMIUM + " and "
                    + CHROMEDRIVER + ": run `apt-get install -y chromium chromium-driver` (./platform test installs them)");
        }
        Path profile = Files.createTempDirectory("rinpoche-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--window-size=1400,1800", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        driver.get(base.toString());
        return new LiveDashboard(base, profile, driver);
    }

    String currentPath() {
        return URI.create(driver.getCurrentUrl()).getPath();
    }

    boolean showsEnvironments() {
        return !driver.findElements(By.cssSelector("section[id^='env-']")).isEmpty();
    }

    void signIn(String adminToken) {
        appears(By.id("token")).sendKeys(adminToken);
        driver.findElement(By.id("sign-in")).click();
        // A click does not wait for the page it submits.
        appears(By.id("env-staging"));
    }

    String environment(String name) {
        return driver.findElement(By.id("env-" + name)).getText();
    }

    String alerts() {
        return driver.findElement(By.id("alerts")).getText();
    }

    String timeline() {
        return driver.findElement(By.id("timeline")).getText();
    }

    /** Clicks the rollback button of {@code env}/{@code service}, accepts the confirmation; returns the flash message. */
    String rollBack(String env, String service) {
        driver.findElement(By.id("rollback-" + env + "-" + service)).click();
        new WebDriverWait(driver, WAIT).until(ExpectedConditions.alertIsPresent()).accept();
        return appears(By.cssSelector("#flash, #flash-error")).getText();
    }

    void reload() {
        driver.get(base.toString());
        appears(By.id("env-staging"));
    }

    /** Saves what the browser shows as a PNG at {@code file}; returns its size in bytes. */
    long screenshot(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), file, StandardCopyOption.REPLACE_EXISTING);
        return Files.size(file);
    }

    private WebElement appears(By locator) {
        return new WebDriverWait(driver, WAIT).until(ExpectedConditions.presenceOfElementLocated(locator));
    }

    @Override
    public void close() throws IOException {
        driver.quit();
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }
}
