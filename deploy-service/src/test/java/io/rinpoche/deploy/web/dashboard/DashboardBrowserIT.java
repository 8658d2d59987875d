package io.rinpoche.deploy.web.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rinpoche.deploy.FakeEngine;
import io.rinpoche.deploy.FakeEngineConfiguration;
import io.rinpoche.deploy.queue.RolloutScheduler;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The dashboard in Debian's headless Chromium (WebDriver through /usr/bin/chromedriver): refused without
 * sign-in, both environments and the deploy just made after it, an app's figures, the deploy marked on the charts,
 * a rollback click that rolls staging back; and with Prometheus down, a page that says so. It saves
 * target/dashboard.png and target/dashboard-prometheus-down.png. The app runs with the fake engine, so no Docker is needed.
 */
@Import(FakeEngineConfiguration.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"HOOK_TOKEN=test-hook-token-0123456789", "ADMIN_TOKEN=" + DashboardTest.ADMIN_TOKEN,
                // Every page asks Prometheus again, so one test's answers never stand in for another's outage.
                "rinpoche.dashboard.prometheus-cache=0s"})
class DashboardBrowserIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final String IMAGE = "127.0.0.1:5000/hello-django";
    private static FakePrometheus prometheus;

    @LocalServerPort
    private int port;

    @Autowired
    private FakeEngine engine;

    @Autowired
    private RolloutScheduler scheduler;

    private Path profile;
    private WebDriver driver;

    @DynamicPropertySource
    static void prometheus(DynamicPropertyRegistry registry) throws IOException {
        prometheus = new FakePrometheus();
        registry.add("rinpoche.dashboard.prometheus-url", prometheus::url);
    }

    @BeforeAll
    static void chromiumIsInstalled() {
        // Fail, never skip: the browser test is part of what the platform must show.
        assertThat(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER))
                .as("Debian's chromium and chromedriver are needed at %s and %s: run `apt-get install -y chromium"
                        + " chromium-driver` (./platform test installs them)", CHROMIUM, CHROMEDRIVER)
                .isTrue();
    }

    @AfterAll
    static void stopPrometheus() {
        prometheus.close();
    }

    @BeforeEach
    void startBrowser() throws IOException {
        profile = Files.createTempDirectory("rinpoche-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--window-size=1400,1600", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    }

    @AfterEach
    void stopBrowser() throws IOException {
        if (driver != null) {
            driver.quit();
        }
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }

    private String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    private String text() {
        return driver.findElement(By.tagName("body")).getText();
    }

    @Test
    void signInSeeTheDeployAndRollStagingBack() throws IOException {
        engine.run("production", "app", IMAGE + ":1.0.0").run("staging", "app", IMAGE + ":develop-aaa111")
                .run("staging", "mysql", "127.0.0.1:5000/rinpoche/mysql:0.1.0");
        DashboardTest.pushed(scheduler, "staging", "app", IMAGE + ":develop-bbb222");

        driver.get(url("/"));
        assertThat(driver.getCurrentUrl()).endsWith("/login");
        assertThat(driver.findElements(By.id("token"))).hasSize(1);
        assertThat(driver.findElements(By.id("env-staging"))).isEmpty();

        driver.findElement(By.id("token")).sendKeys("wrong-token-0123456789");
        driver.findElement(By.id("sign-in")).click();
        // A click does not wait for the page it submits: wait for the answer before reading it.
        assertThat(appears(By.id("login-error")).getText()).contains("Wrong admin token");
        assertThat(driver.findElements(By.id("env-staging"))).isEmpty();

        driver.findElement(By.id("token")).sendKeys(DashboardTest.ADMIN_TOKEN);
        driver.findElement(By.id("sign-in")).click();
        appears(By.id("env-staging"));
        assertThat(driver.findElement(By.id("env-production")).getText()).contains(IMAGE + ":1.0.0");
        assertThat(driver.findElement(By.id("env-staging")).getText()).contains(IMAGE + ":develop-bbb222");
        assertThat(driver.findElement(By.id("timeline")).getText()).contains("staging/app")
                .contains(IMAGE + ":develop-bbb222").contains("hook registry").contains("DEPLOYED");
        assertThat(driver.findElements(By.cssSelector(".chart svg"))).hasSize(5);
        assertThat(text()).contains("Latency p95 per environment (1 h)").contains("Deploy duration p95 (24 h)")
                .doesNotContain("n/a s");
        // The app just deployed: its figures next to the previous version's; MariaDB: no figures, no rollback.
        assertThat(driver.findElement(By.id("service-staging-app")).getText()).contains("2.1 % (0.4 %)")
                .contains("0.123 s (0.080 s)");
        // The deploy just made is marked on the 1-hour charts (and on the 24 h one).
        assertThat(driver.findElements(By.cssSelector(".chart line.marker"))).hasSizeGreaterThanOrEqualTo(4);
        assertThat(driver.findElement(By.cssSelector(".chart line.marker title")).getAttribute("textContent"))
                .contains("staging/app hook: deployed");
        WebElement mysql = driver.findElement(By.id("rollback-staging-mysql"));
        assertThat(mysql.isEnabled()).isFalse();
        assertThat(mysql.getAttribute("title")).contains("It changes with ./platform up");
        assertThat(driver.findElement(By.id("rollback-staging-app")).isEnabled()).isTrue();
        assertThat(driver.findElement(By.id("alerts")).getText()).contains("DeployFailed", "environment=staging",
                "A deploy of staging/app ended rolled_back", "2026-11-26T14:02:03").doesNotContain("TargetDown");

        int before = engine.rolled("staging", "app").size();
        driver.findElement(By.id("rollback-staging-app")).click();
        new WebDriverWait(driver, Duration.ofSeconds(10)).until(ExpectedConditions.alertIsPresent())
                .accept();
        assertThat(appears(By.id("flash")).getText())
                .startsWith("Rollback of staging/app to " + IMAGE + ":develop-aaa111@sha256:");

        await().atMost(Duration.ofSeconds(10)).until(scheduler::idle);
        assertThat(engine.rolled("staging", "app")).hasSize(before + 1);
        assertThat(engine.rolled("staging", "app").get(before).image().tag()).isEqualTo("develop-aaa111");
        driver.navigate().refresh();
        assertThat(driver.findElement(By.id("timeline")).getText()).contains("rollback by admin");
        assertThat(driver.findElement(By.id("env-staging")).getText()).doesNotContain(":develop-bbb222");

        screenshot("dashboard.png");
    }

    @Test
    void withPrometheusDownThePageStillServesAndSaysSo() throws IOException {
        engine.run("staging", "app", IMAGE + ":develop-aaa111");
        DashboardTest.pushed(scheduler, "staging", "app", IMAGE + ":develop-ccc333");
        prometheus.down(true);
        try {
            driver.get(url("/login"));
            driver.findElement(By.id("token")).sendKeys(DashboardTest.ADMIN_TOKEN);
            driver.findElement(By.id("sign-in")).click();
            appears(By.id("env-staging"));

            assertThat(text()).contains("Metrics unavailable: Prometheus did not answer.",
                    "Alerts unknown: Prometheus did not answer.");
            assertThat(driver.findElement(By.id("service-staging-app")).getText()).contains("n/a: Prometheus did not answer");
            assertThat(driver.findElement(By.id("rollback-staging-app")).isEnabled()).isTrue();
            assertThat(driver.findElement(By.id("timeline")).getText()).contains(IMAGE + ":develop-ccc333");
            screenshot("dashboard-prometheus-down.png");
        } finally {
            prometheus.down(false);
        }
    }

    private void screenshot(String name) throws IOException {
        Path screenshot = Path.of("target", name);
        Files.copy(((ChromeDriver) driver).getScreenshotAs(OutputType.FILE).toPath(), screenshot,
                StandardCopyOption.REPLACE_EXISTING);
        assertThat(Files.size(screenshot)).isGreaterThan(10_000);
    }

    private WebElement appears(By locator) {
        return new WebDriverWait(driver, Duration.ofSeconds(10)).until(ExpectedConditions.presenceOfElementLocated(locator));
    }
}
