package io.rinpoche.django;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Volume;
import io.rinpoche.testing.RinpocheImages;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.ImageFromDockerfile;

/** rinpoche/django for real: the base image itself and a minimal app built FROM it (src/test/resources/fixture-app). */
class DjangoBaseImageIT {

    private static final String BASE = RinpocheImages.image("django").asCanonicalNameString();
    private static final String FIXTURE = "rinpoche-it/django-fixture:" + UUID.randomUUID().toString().substring(0, 8);
    /** The fixture app with no database or cache server: sqlite and process memory. */
    private static final Map<String, String> STANDALONE = Map.of(
            "DATABASE_ENGINE", "sqlite", "CACHE_BACKEND", "locmem", "DJANGO_SECRET_KEY", "it-secret");
    /** MySQL and Redis clients pointed at ports where nothing listens inside the container. */
    private static final Map<String, String> NOTHING_LISTENS = Map.of(
            "DATABASE_HOST", "127.0.0.1", "DATABASE_NAME", "app", "DATABASE_USER", "app",
            "REDIS_HOST", "127.0.0.1", "DJANGO_SECRET_KEY", "it-secret");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void buildFixtureApp() throws URISyntaxException {
        Path context = Path.of(DjangoBaseImageIT.class.getResource("/fixture-app").toURI());
        new ImageFromDockerfile(FIXTURE, false)
                .withFileFromPath(".", context)
                .withBuildArg("RINPOCHE_TAG", RinpocheImages.tag())
                .get();
    }

    @AfterAll
    static void removeFixtureApp() {
        DockerClientFactory.instance().client().removeImageCmd(FIXTURE).exec();
    }

    @Test
    void baseHasDebiansDjangoStackAndRunsGivenCommandsAsAppUserUnderTini() {
        DockerRun run = DockerRun.of(BASE, Map.of(), "sh", "-c",
                "id -u; tr '\\0' ' ' </proc/1/cmdline; echo;"
                        + " python3 -c 'import django, gunicorn, MySQLdb, redis, django_redis, whitenoise;"
                        + " print(\"django\", django.get_version(), \"gunicorn\", gunicorn.__version__)'");

        assertThat(run.exitCode()).as(run.output()).isZero();
        List<String> lines = run.output().lines().toList();
        assertThat(lines.get(0)).isEqualTo("10001");
        assertThat(lines.get(1)).startsWith("tini -- rinpoche-entrypoint sh -c ");
        assertThat(lines.get(2)).matches("django 4\\.2\\.\\d+ gunicorn 23\\..*");
    }

    @Test
    void withoutAnAppTheEntrypointSaysWhatIsMissing() {
        DockerRun run = DockerRun.of(BASE, Map.of());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.output()).contains("DJANGO_SETTINGS_MODULE is not set");
    }

    @Test
    void settingsHelperAndHealthCheckPassTheirDjangoTests() {
        // No DJANGO_SECRET_KEY: `manage.py test` must run without one.
        DockerRun run = DockerRun.of(FIXTURE, Map.of("DATABASE_ENGINE", "sqlite", "CACHE_BACKEND", "locmem"),
                "python3", "manage.py", "test", "--verbosity", "2");

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("Ran 11 tests").contains("\nOK");
    }

    @Test
    void appMigratesCollectsStaticServesAsNonRootBecomesHealthyAndStopsOnSigterm() throws Exception {
        // A new named volume, as the stack mounts one: it must start out writable for the app user.
        String staticVolume = "rinpoche-it-static-" + UUID.randomUUID().toString().substring(0, 8);
        DockerClient docker = DockerClientFactory.instance().client();
        try (GenericContainer<?> app = new GenericContainer<>(FIXTURE)
                .withEnv(STANDALONE)
                .withEnv(Map.of("DJANGO_MIGRATE", "1", "DJANGO_COLLECTSTATIC", "1", "APP_VERSION", "1.2.3"))
                .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig()
                        .withBinds(new Bind(staticVolume, new Volume("/srv/static"))))
                .withExposedPorts(8000)
                .waitingFor(Wait.forHealthcheck().withStartupTimeout(Duration.ofSeconds(60)))) {
            app.start();
            String base = "http://" + app.getHost() + ":" + app.getMappedPort(8000);

            assertThat(get(base + "/").body()).contains("<h1>fixture app on rinpoche/django</h1>")
                    .contains("href=\"/static/fixture/fixture.css\"");
            // WhiteNoise serves what collectstatic wrote to STATIC_ROOT (gzipped copies of larger files too).
            assertThat(get(base + "/static/fixture/fixture.css").body()).contains("fixture-css-marker");
            assertThat(app.execInContainer("ls", "/srv/static/fixture", "/srv/static/admin/js/vendor/jquery").getStdout())
                    .contains("fixture.css").contains("jquery.js.gz");
            // The worker that answered runs as uid 10001, and migrate created the auth tables.
            assertThat(get(base + "/whoami").body()).contains("\"uid\": 10001").contains("\"users\": 0");
            assertThat(get(base + "/healthz").body())
                    .isEqualTo("{\"status\": \"ok\", \"version\": \"1.2.3\", \"db\": \"ok\", \"cache\": \"ok\"}");

            docker.stopContainerCmd(app.getContainerId()).withTimeout(10).exec();
            // 0, not 137: tini passed SIGTERM on and gunicorn shut down before Docker had to kill it.
            assertThat(docker.inspectContainerCmd(app.getContainerId()).exec().getState().getExitCodeLong()).isZero();
            assertThat(app.getLogs()).contains("Handling signal: term").contains("Shutting down: Master");
        } finally {
            docker.removeVolumeCmd(staticVolume).exec();
        }
    }

    @Test
    void healthNamesTheBrokenDatabaseAndCacheWith503BeforeCheckingTheHost() throws Exception {
        try (GenericContainer<?> app = new GenericContainer<>(FIXTURE)
                .withEnv(NOTHING_LISTENS)
                .withEnv(Map.of("DATABASE_WAIT_TIMEOUT", "0", "DJANGO_ALLOWED_HOSTS", "app.example"))
                .withExposedPorts(8000)
                .waitingFor(Wait.forHttp("/healthz").forStatusCode(503))) {
            app.start();
            String base = "http://" + app.getHost() + ":" + app.getMappedPort(8000);

            // Host checks are on (DJANGO_ALLOWED_HOSTS), yet /healthz answers: Docker asks with Host: 127.0.0.1.
            assertThat(get(base + "/").statusCode()).isEqualTo(400);
            HttpResponse<String> health = get(base + "/healthz");
            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(health.body()).contains("\"status\": \"error\"")
                    .contains("\"db\": \"error: OperationalError: (2002")
                    .contains("\"cache\": \"error: ConnectionError: Error 111 connecting to 127.0.0.1:6379");

            ExecResult check = app.execInContainer("python3", "-m", "rinpoche_django.healthcheck");
            assertThat(check.getExitCode()).as(check.getStdout()).isEqualTo(1);
            assertThat(check.getStdout()).startsWith("503 ");
        }
    }

    @Test
    void waitForDatabaseGivesUpAfterTheTimeoutAndSaysWhy() {
        DockerRun run = DockerRun.of(FIXTURE, with(NOTHING_LISTENS, "DATABASE_WAIT_TIMEOUT", "3"));

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.output())
                .contains("wait-for-db: timed out after 3 s (DATABASE_WAIT_TIMEOUT): 127.0.0.1:3306 is not reachable")
                .contains("[entrypoint] error: not starting")
                .doesNotContain("gunicorn");
    }

    @Test
    void waitForDatabaseWantsALoginNotJustAnOpenPort() {
        // Something accepts TCP on 3306 and hangs up at once: reachable, but no MySQL login.
        String listener = "import os, socket\n"
                + "s = socket.create_server(('127.0.0.1', 3306))\n"
                + "if os.fork() == 0:\n"
                + "    while True: s.accept()[0].close()\n";
        DockerRun run = DockerRun.of(FIXTURE, with(NOTHING_LISTENS, "DATABASE_WAIT_TIMEOUT", "3"),
                "sh", "-c", "python3 -c \"$0\" && exec rinpoche-entrypoint", listener);

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.output()).contains("timed out after 3 s (DATABASE_WAIT_TIMEOUT): 127.0.0.1:3306 is reachable but the login failed");
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, String> with(Map<String, String> env, String key, String value) {
        Map<String, String> copy = new HashMap<>(env);
        copy.put(key, value);
        return copy;
    }
}
