package io.rinpoche.hellodjango;

import static org.assertj.core.api.Assertions.assertThat;

import io.rinpoche.testing.RinpocheImages;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.startupcheck.OneShotStartupCheckStrategy;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/** rinpoche/hello-django standalone (sqlite + local-memory cache): its test suite, its pages, its health. */
class HelloDjangoIT {

    private static final DockerImageName IMAGE = RinpocheImages.image("hello-django");
    /** No MySQL or Redis here: those are tested end to end by the compose module. */
    private static final Map<String, String> STANDALONE = Map.of("DATABASE_ENGINE", "sqlite", "CACHE_BACKEND", "locmem");
    private static final Pattern VISITS = Pattern.compile("<span id=\"visits\">(\\d+)</span>");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void imageCarriesItsVersionAndSettings() {
        // `./platform build` passes APP_VERSION, or the tag when it is unset.
        String expected = Optional.ofNullable(System.getenv("APP_VERSION")).filter(v -> !v.isEmpty()).orElse(RinpocheImages.tag());
        List<String> env = List.of(DockerClientFactory.instance().client()
                .inspectImageCmd(IMAGE.asCanonicalNameString()).exec().getConfig().getEnv());

        assertThat(env).contains("APP_VERSION=" + expected, "DJANGO_SETTINGS_MODULE=hello.settings");
    }

    @Test
    void djangoTestSuitePassesInsideTheImage() {
        try (GenericContainer<?> tests = new GenericContainer<>(IMAGE)
                .withEnv(STANDALONE)
                .withCommand("python3", "manage.py", "test", "--verbosity", "2")
                // Fails start() unless the command exits 0.
                .withStartupCheckStrategy(new OneShotStartupCheckStrategy().withTimeout(Duration.ofMinutes(2)))) {
            tests.start();

            assertThat(tests.getLogs()).containsPattern("Ran [1-9][0-9]* tests").contains("\nOK");
        }
    }

    @Test
    void servesTheCounterStatsAndHealth() throws Exception {
        try (GenericContainer<?> app = new GenericContainer<>(IMAGE)
                .withEnv(STANDALONE)
                .withEnv(Map.of("DJANGO_SECRET_KEY", "it-secret", "DJANGO_MIGRATE", "1", "DJANGO_COLLECTSTATIC", "1",
                        "APP_VERSION", "it-42"))
                .withExposedPorts(8000)
                .waitingFor(Wait.forHealthcheck().withStartupTimeout(Duration.ofSeconds(60)))) {
            app.start();
            String base = "http://" + app.getHost() + ":" + app.getMappedPort(8000);

            HttpResponse<String> first = get(base + "/");
            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(first.body()).contains("<span id=\"version\">it-42</span>");
            assertThat(visits(first.body())).isEqualTo(1);
            assertThat(visits(get(base + "/").body())).isEqualTo(2);

            String stats = "{\"visits\": 2, \"version\": \"it-42\"}";
            assertThat(get(base + "/api/stats").body()).isEqualTo(stats);
            assertThat(get(base + "/api/stats").body()).as("stats do not count themselves").isEqualTo(stats);
            assertThat(visits(get(base + "/").body())).isEqualTo(3);
            HttpResponse<String> posted = http.send(HttpRequest.newBuilder(URI.create(base + "/api/visits"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(posted.statusCode()).as("a POST without a CSRF token").isEqualTo(200);
            assertThat(posted.body()).isEqualTo("{\"visits\": 4, \"version\": \"it-42\"}");

            HttpResponse<String> health = get(base + "/healthz");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).isEqualTo("{\"status\": \"ok\", \"version\": \"it-42\", \"db\": \"ok\", \"cache\": \"ok\"}");
            assertThat(get(base + "/static/counter/style.css").body()).contains("hello-django");
        }
    }

    /**
     * The benchmark mode's point, and what the rollout tests' slow requests rely on: stopped while a slow request is in
     * flight, the app normally finishes it (gunicorn's graceful stop), and with {@code HELLO_EXIT_ON_SIGTERM=1} drops it.
     */
    @Test
    void aRequestInFlightIsFinishedOnSigtermUnlessTheAppExitsAtOnce() throws Exception {
        CompletableFuture<String> graceful = slowRequestWhileStopping(Map.of());
        CompletableFuture<String> abrupt = slowRequestWhileStopping(Map.of("HELLO_EXIT_ON_SIGTERM", "1"));

        assertThat(graceful.get(30, TimeUnit.SECONDS)).as("graceful stop").isEqualTo("200 {\"slept_ms\": 2000, \"version\": \"it-slow\"}");
        assertThat(abrupt.get(30, TimeUnit.SECONDS)).as("exit at once").startsWith("failed: ");
    }

    // Starts the app, sends GET /api/slow?ms=2000, stops the container (SIGTERM) 1 s later: the answer, or why none came.
    private CompletableFuture<String> slowRequestWhileStopping(Map<String, String> env) {
        GenericContainer<?> app = new GenericContainer<>(IMAGE)
                .withEnv(STANDALONE)
                .withEnv(Map.of("DJANGO_SECRET_KEY", "it-secret", "DJANGO_MIGRATE", "1", "APP_VERSION", "it-slow"))
                .withEnv(env)
                .withExposedPorts(8000)
                .waitingFor(Wait.forHealthcheck().withStartupTimeout(Duration.ofSeconds(60)));
        app.start();
        HttpRequest slow = HttpRequest.newBuilder(URI.create("http://" + app.getHost() + ":" + app.getMappedPort(8000)
                + "/api/slow?ms=2000")).timeout(Duration.ofSeconds(10)).build();
        CompletableFuture<String> answer = http.sendAsync(slow, HttpResponse.BodyHandlers.ofString())
                .handle((response, error) -> error == null ? response.statusCode() + " " + response.body() : "failed: " + error);
        CompletableFuture.runAsync(() -> {
            try (app) {
                Thread.sleep(1000);
                app.getDockerClient().stopContainerCmd(app.getContainerId()).withTimeout(10).exec();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        return answer;
    }

    private static int visits(String page) {
        Matcher matcher = VISITS.matcher(page);
        assertThat(matcher.find()).as("visit counter on the page:%n%s", page).isTrue();
        return Integer.parseInt(matcher.group(1));
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
