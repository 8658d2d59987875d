package io.rinpoche.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Percentage.withPercentage;
import static org.awaitility.Awaitility.await;

import io.rinpoche.jenkinsagent.AgentPipeline;
import io.rinpoche.jenkinsagent.DindAgent;
import io.rinpoche.testing.Command;
import io.rinpoche.testing.OwnImages;
import io.rinpoche.testing.RinpocheImages;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end, once per build: `./platform up` brings up both environments as a new user would, on
 * free ports, under a project prefix and state directory of its own, so a user's running stack is untouched.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PlatformUpIT {

    private static final Duration UP_TIMEOUT = Duration.ofMinutes(20);
    private static final Duration ANALYSIS_WINDOW = Duration.ofSeconds(30);
    private static final Pattern VISITS = Pattern.compile("\"visits\":\\s*(\\d+)");
    /** GETs of hello-django that {@link #awaitServed} sent: the edge counts them beside a load generator's. */
    private static final AtomicLong SERVED_PROBES = new AtomicLong();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static String prefix;
    private static Path stateDir;
    private static Map<String, Integer> ports;
    private static int deployPort;
    private static int registryPort;
    private static int prometheusPort;
    private static Platform platform;
    private static Command firstUp;
    /** The app catalogue of this run: hello-django's entry, and app B made by `new-app`. */
    private static Path apps;
    private static Command newApp;
    /** App B, made by `./platform new-app` before the first `up`; routed by its host name. */
    private static final String APP_B = "notes";
    private static final String HOST_B = APP_B + ".localhost";
    /** The backup repository: a directory of its own, as on a disk mounted apart from the host's. */
    private static Path backupDir;
    /** What the backup before the disaster holds, and production's visit count before and after it (writes went on). */
    private static Map<String, Object> beforeDisaster;
    private static List<Long> productionVisits;
    /** The fresh clone the host rebuilt from nothing runs from (the disaster recovery test). */
    private static Path clone;
    /** The team's alert receiver (ALERT_WEBHOOK_URL): what Alertmanager sends. */
    private static AlertWebhook webhook;

    @BeforeAll
    static void up() throws IOException {
        prefix = "rinpoche-it-" + UUID.randomUUID().toString().substring(0, 8);
        stateDir = Files.createTempDirectory("rinpoche-state");
        backupDir = Files.createDirectory(stateDir.resolve("backup-disk"));
        ports = Map.of("production", freePort(), "staging", freePort());
        deployPort = freePort();
        registryPort = freePort();
        prometheusPort = freePort();
        apps = Files.createTempDirectory("rinpoche-apps");
        webhook = new AlertWebhook();
        Files.createDirectories(apps.resolve("hello-django"));
        Files.copy(RinpocheImages.root().resolve("apps/hello-django/app.yaml"), apps.resolve("hello-django/app.yaml"));
        platform = platformOn(ports.get("production"), ports.get("staging"), deployPort, prefix);
        newApp = platform.run(Duration.ofMinutes(3), "new-app", APP_B);
        firstUp = platform.run(UP_TIMEOUT, "up");
    }

    @AfterAll
    static void down() throws IOException {
        if (webhook != null) {
            webhook.close();
        }
        if (platform != null) {
            platform.run(Duration.ofMinutes(3), "down", "--volumes", "--yes");
            // The names of its registry: the seed `up` tagged, and what the deploy service pulled (by digest). The
            // seed is the very image of rinpoche/hello-django, which the host's own platform may run: by name only.
            OwnImages.removeFromRegistry("127.0.0.1:" + registryPort);
        }
        // The state directory holds the generated secrets, the pins, a registry login and the backups.
        for (Path dir : new Path[] {stateDir, apps, clone == null ? null : clone.getParent()}) {
            if (dir != null) {
                deleteTree(dir);
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    @Test
    @Order(1)
    void upBringsBothEnvironmentsUpHealthy() {
        assertThat(firstUp.exitCode()).as(firstUp.output()).isZero();
        assertThat(firstUp.output()).contains(url("production")).contains(url("staging"))
                .contains("http://127.0.0.1:" + deployPort + "/");
        assertThat(body(URI.create("http://127.0.0.1:" + deployPort + "/actuator/health"))).contains("\"UP\"");
        for (String env : ports.keySet()) {
            assertThat(get(env, "/")).contains(RinpocheImages.tag());
            for (String host : List.of("127.0.0.1", HOST_B)) {
                assertThat(get(env, host, "/healthz"))
                        .containsPattern("\"status\":\\s*\"ok\"")
                        .containsPattern("\"db\":\\s*\"ok\"")
                        .containsPattern("\"cache\":\\s*\"ok\"");
            }
            assertThat(get(env, HOST_B, "/api/stats")).contains("\"app\": \"notes\"");
        }
    }

    /** new-app made app B; up built it and gave it a database, a Redis user and a route in both environments. */
    @Test
    @Order(1)
    void newAppScaffoldsAnAppThatUpRuns() {
        assertThat(newApp.exitCode()).as(newApp.output()).isZero();
        assertThat(apps.resolve(APP_B + "/app.yaml")).exists();
        assertThat(apps.resolve(APP_B + "/" + APP_B + "/migrations/0001_initial.py")).exists();
        assertThat(firstUp.output()).contains("databases and Redis users of: hello-django notes", "staging/notes pinned to ");
    }

    /** Each app has its own database: app B's user sees only its own, and cannot read app A's tables. */
    @Test
    @Order(2)
    void eachAppHasItsOwnDatabaseAndRedisUser() throws IOException {
        for (String env : ports.keySet()) {
            String mysql = container(env, "mysql");
            Command databases = mariadbAs(env, mysql, APP_B, "SHOW DATABASES");
            assertThat(databases.output()).contains("notes").doesNotContain("hello_django");
            Command read = mariadbAs(env, mysql, APP_B, "SELECT * FROM hello_django.counter_counter");
            assertThat(read.exitCode()).isNotZero();
            assertThat(read.output()).contains("SELECT command denied to user 'notes'");
            assertThat(mariadbAs(env, mysql, "hello_django", "SELECT value FROM hello_django.counter_counter").exitCode()).isZero();

            Command redis = Command.run(Duration.ofSeconds(30), Map.of(), List.of("docker", "exec", "-e",
                    "REDISCLI_AUTH=" + secrets().get(env.toUpperCase() + "_NOTES_REDIS_PASSWORD"), container(env, "redis"),
                    "redis-cli", "--user", APP_B, "SET", "hello-django:1:stolen", "x"));
            assertThat(redis.output()).contains("NOPERM");
        }
    }

    /** A host no app declares gets nginx's 404 page, not some app. */
    @Test
    @Order(2)
    void anUnknownHostGetsTheNotFoundPage() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url("staging")))
                .header("Host", "unknown.example.com").build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("no app is served at this address").doesNotContain("visits");
    }

    /** Prometheus scrapes the platform, the host and every environment's exporters: each target is up. */
    @Test
    @Order(2)
    void everyPrometheusTargetIsUp() {
        URI targets = URI.create("http://127.0.0.1:" + prometheusPort + "/api/v1/targets?state=active");
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            String body = body(targets);
            assertThat(body).contains("\"job\":\"deploy-service\"", "\"job\":\"registry\"", "\"job\":\"node\"",
                    "\"job\":\"alertmanager\"", "production-nginx-exporter", "staging-redis-exporter", "staging-mysqld-exporter",
                    "production-nginx:9145", "staging-nginx:9145");
            assertThat(count(body, "\"health\":\"up\"")).as(body).isEqualTo(13);
        });
    }

    @Test
    @Order(3)
    void eachVisitCountsInItsOwnEnvironment() {
        long production = visits("production");
        long staging = visits("staging");

        get("production", "/");
        get("production", "/");

        assertThat(visits("production")).isEqualTo(production + 2);
        assertThat(visits("staging")).isEqualTo(staging);
    }

    @Test
    @Order(4)
    void secretsAreGeneratedPrivateAndNeverPrinted() throws IOException {
        Path secrets = stateDir.resolve("secrets.env");

        assertThat(Files.getPosixFilePermissions(secrets)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        for (String line : Files.readAllLines(secrets)) {
            String value = line.substring(line.indexOf('=') + 1);
            assertThat(value).hasSizeGreaterThanOrEqualTo(24);
            assertThat(firstUp.output()).doesNotContain(value);
        }
    }

    @Test
    @Order(5)
    void rerunOnAHealthyStackChangesNothing() {
        List<String> before = containers();

        Command again = platform.run(UP_TIMEOUT, "up");

        assertThat(again.exitCode()).as(again.output()).isZero();
        assertThat(containers()).isEqualTo(before);
    }

    @Test
    @Order(6)
    void downAndUpKeepTheCounters() {
        get("staging", "/");
        long production = visits("production");
        long staging = visits("staging");

        assertThat(platform.run(Duration.ofMinutes(3), "down").exitCode()).isZero();
        assertThat(containers()).isEmpty();
        Command up = platform.run(UP_TIMEOUT, "up");

        assertThat(up.exitCode()).as(up.output()).isZero();
        assertThat(visits("production")).isEqualTo(production);
        assertThat(visits("staging")).isEqualTo(staging);
    }

    @Test
    @Order(7)
    void recreatingTheMysqlContainerKeepsTheCounter() {
        long production = visits("production");
        String mysql = Command.docker("ps", "-q", "--no-trunc",
                "--filter", "label=com.docker.compose.project=" + prefix + "-production",
                "--filter", "label=com.docker.compose.service=mysql").get(0);

        Command.docker("rm", "-f", mysql);
        Command up = platform.run(UP_TIMEOUT, "up");

        assertThat(up.exitCode()).as(up.output()).isZero();
        assertThat(containers()).doesNotContain(mysql);
        assertThat(visits("production")).isEqualTo(production);
    }

    /** The loop: a develop tag pushed to the platform's registry is pulled and served by staging, and only staging. */
    @Test
    @Order(8)
    void aPushedDevelopImageIsDeployedToStagingUnderLoad(@TempDir Path dockerConfig) throws Exception {
        double counted = edgeRequests("staging");
        long probed = SERVED_PROBES.get();
        try (SteadyLoad load = SteadyLoad.start(URI.create(url("staging")).resolve("/api/stats"), 4)) {
            pushAndAwait(dockerConfig, pushedVersion(), "staging");
            load.close();
            System.out.printf("staging under load during the deploy: %d requests, %d failed%n", load.sent(), load.failed());
            assertThat(load.failed()).isZero();
            // nginx's edge metrics count what the load generator sent, and the GETs that awaited the new version (within
            // 3%, once Prometheus has scraped them).
            long sent = load.sent() + SERVED_PROBES.get() - probed;
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(3)).untilAsserted(() ->
                    assertThat(edgeRequests("staging") - counted).isCloseTo(sent, withPercentage(3)));
        }
        assertThat(get("production", "/api/stats")).contains("\"" + RinpocheImages.tag() + "\"");
        URI deployments = URI.create("http://127.0.0.1:" + prometheusPort
                + "/api/v1/query?query=rinpoche_deployments_total%7Benvironment%3D%22staging%22%2Coutcome%3D%22deployed%22%7D");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2))
                .untilAsserted(() -> assertThat(body(deployments)).contains("\"service\":\"hello-django\""));
        // After a deploy, every metric the Grafana dashboard reads is in Prometheus.
        URI names = URI.create("http://127.0.0.1:" + prometheusPort + "/api/v1/label/__name__/values");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            String known = body(names);
            assertThat(GrafanaDashboard.metrics()).allSatisfy(name -> assertThat(known).contains("\"" + name + "\""));
        });
    }

    /**
     * A semver tag goes to production, under load with no failed request; staging keeps its version. Production's
     * deploys are analysed: under the same load through the analysis' window, this healthy version passes and stays.
     */
    @Test
    @Order(9)
    void aPushedSemverImageIsDeployedToProductionUnderLoadAndPassesTheAnalysis(@TempDir Path dockerConfig) throws Exception {
        String release = release();
        try (SteadyLoad load = SteadyLoad.start(URI.create(url("production")).resolve("/api/stats"), 4)) {
            awaitBaseline("production");
            pushAndAwait(dockerConfig, release, "production");
            long served = System.nanoTime();
            String verdict = awaitAnalysis("production", release, "skipped", Duration.ofMinutes(2));
            load.close();
            System.out.printf("production under load during the deploy and its analysis: %d requests, %d failed; verdict"
                    + " %.1f s after it served: %s%n", load.sent(), load.failed(), (System.nanoTime() - served) / 1e9, verdict);
            assertThat(load.failed()).isZero();
            assertThat(verdict).startsWith("analysis passed: ");
        }
        assertThat(get("production", "/api/stats")).contains("\"" + release + "\"");
        assertThat(get("staging", "/api/stats")).contains("\"" + pushedVersion() + "\"");
        assertThat(get("production", HOST_B, "/api/stats")).contains("\"" + RinpocheImages.tag() + "\"");
    }

    /**
     * No container of the platform or the environments shows a secret value in `docker inspect`, also the app
     * replicas the deploy service made: they got the compose secrets (bind-mounted files) of the ones they replaced.
     */
    @Test
    @Order(10)
    void noContainerShowsASecretInDockerInspectAfterADeploy() throws IOException {
        List<String> ids = Command.docker("ps", "--format", "{{.ID}} {{.Label \"com.docker.compose.project\"}}").stream()
                .filter(line -> line.contains(" " + prefix + "-")).map(line -> line.substring(0, line.indexOf(' '))).toList();
        assertThat(ids).hasSizeGreaterThan(15);
        Map<String, String> secrets = secrets();
        for (String id : ids) {
            String inspect = String.join("\n", Command.docker("inspect", id));
            secrets.forEach((name, value) -> assertThat(inspect).as("docker inspect of %s shows %s", id, name).doesNotContain(value));
        }
        String replica = Command.docker("ps", "-q", "--filter", "label=com.docker.compose.project=" + prefix + "-staging",
                "--filter", "label=com.docker.compose.service=hello-django", "--filter", "label=io.rinpoche.rollout.role=replica").get(0);
        assertThat(String.join("\n", Command.docker("inspect", "-f", "{{range .Mounts}}{{.Destination}} {{end}}", replica)))
                .contains("/run/secrets/HELLO_DJANGO_SECRET_KEY", "/run/secrets/HELLO_DJANGO_DATABASE_PASSWORD");
    }

    /** A re-run of `up` after a deploy leaves the deployed service alone instead of putting it back. */
    @Test
    @Order(10)
    void upAfterADeployKeepsTheDeployedImage() {
        Command up = platform.run(UP_TIMEOUT, "up");

        assertThat(up.exitCode()).as(up.output()).isZero();
        assertThat(up.output()).contains("kept as deployed by the deploy service: hello-django");
        assertThat(get("staging", "/api/stats")).contains("\"" + pushedVersion() + "\"");
        assertThat(get("production", "/api/stats")).doesNotContain("\"0.1.0\"");
    }

    @Test
    @Order(11)
    void aPortInUseIsNamed() throws IOException {
        try (ServerSocket taken = new ServerSocket(0)) {
            Platform other = platformOn(taken.getLocalPort(), freePort(), freePort(), prefix + "-other");

            Command run = other.run(Duration.ofMinutes(5), "up");

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.output()).contains("port 127.0.0.1:" + taken.getLocalPort() + " for production is already in use");
        }
    }

    /** Bad input: with a wrong password, `docker login` is refused, and so is a push with it in the CLI's config. */
    @Test
    @Order(12)
    void wrongRegistryCredentialsAreRefused(@TempDir Path dockerConfig) throws Exception {
        String registry = "127.0.0.1:" + registryPort;
        String wrong = "wrong-" + UUID.randomUUID();
        Map<String, String> docker = Map.of("DOCKER_CONFIG", dockerConfig.toString());
        Command login = Command.run(Duration.ofMinutes(1), docker,
                List.of("docker", "login", "-u", "rinpoche", "--password-stdin", registry), wrong);
        assertThat(login.exitCode()).as(login.output()).isNotZero();
        assertThat(login.output()).containsIgnoringCase("unauthorized");

        // A refused login stores nothing: write the wrong password where a login would, so the push sends it.
        Files.writeString(dockerConfig.resolve("config.json"), "{\"auths\": {\"" + registry + "\": {\"auth\": \""
                + basicAuth("rinpoche", wrong).substring("Basic ".length()) + "\"}}}");
        String tag = "refused-" + prefix.substring(prefix.length() - 7);
        Command.docker("tag", "rinpoche/hello-django:" + RinpocheImages.tag(), repository() + ":" + tag);
        Command push = Command.run(Duration.ofMinutes(2), docker, List.of("docker", "push", repository() + ":" + tag));
        Command.docker("rmi", repository() + ":" + tag);
        assertThat(push.exitCode()).as(push.output()).isNotZero();
        assertThat(push.output()).containsIgnoringCase("unauthorized");
        assertThat(manifest(tag).statusCode()).isEqualTo(404);
    }

    /** Bad input: a registry notification with a wrong token is refused, and rinpoche_hooks_total counts it. */
    @Test
    @Order(13)
    void aHookWithAWrongTokenIsRefusedAndCounted() throws Exception {
        DeployService deploy = new DeployService(deployPort);
        double counted = deploy.hooks("registry", "unauthorized");

        HttpResponse<String> hook = deploy.registryHook("wrong-" + UUID.randomUUID(), "hello-django", "develop-refused");

        assertThat(hook.statusCode()).as(hook.body()).isEqualTo(401);
        assertThat(deploy.hooks("registry", "unauthorized")).isEqualTo(counted + 1);
    }

    /** A push while the deploy service is stopped is not lost: the registry retries, and staging converges once it is back. */
    @Test
    @Order(14)
    void aPushWhileTheDeployServiceIsDownIsDeployedOnceItIsBack(@TempDir Path dockerConfig) throws Exception {
        String deployService = container("platform", "deploy-service");
        Command.docker("stop", deployService);
        long pushed = push(dockerConfig, retriedVersion());
        // Long enough for the registry's immediate attempts and some of its backed-off retries to fail.
        Thread.sleep(10_000);
        assertThat(get("staging", "/api/stats")).contains("\"" + pushedVersion() + "\"");

        try (SteadyLoad load = SteadyLoad.start(URI.create(url("staging")).resolve("/api/stats"), 4)) {
            Command.docker("start", deployService);
            long started = System.nanoTime();
            awaitServed("staging", retriedVersion(), Duration.ofMinutes(3));
            System.out.printf("staging serves %s %.1f s after the deploy service was started again, %.1f s after the push%n",
                    retriedVersion(), (System.nanoTime() - started) / 1e9, (System.nanoTime() - pushed) / 1e9);
            load.close();
            System.out.printf("staging under load while the deploy service came back: %d requests, %d failed%n",
                    load.sent(), load.failed());
            assertThat(load.failed()).isZero();
        }
        assertThat(container("platform", "deploy-service")).isEqualTo(deployService);
        assertThat(get("production", "/api/stats")).contains("\"" + release() + "\"");
    }

    /**
     * The live deploy service's dashboard in headless Chromium: refused without sign-in; after it, both environments
     * and the deploys just made (tag and digest: the deploy service pins images so); a rollback click rolls staging back.
     */
    @Test
    @Order(15)
    void theDashboardShowsTheDeploysAndRollsStagingBack() throws Exception {
        DeployService deploy = new DeployService(deployPort);
        HttpResponse<String> anonymous = deploy.get("/");
        assertThat(anonymous.statusCode()).isEqualTo(302);
        assertThat(anonymous.headers().firstValue("Location")).hasValue(deploy.uri("/login").toString());
        String previous = pinned(pushedVersion());
        String current = pinned(retriedVersion());

        try (LiveDashboard dashboard = LiveDashboard.open(deploy.uri("/"))) {
            assertThat(dashboard.currentPath()).isEqualTo("/login");
            assertThat(dashboard.showsEnvironments()).isFalse();

            dashboard.signIn(secrets().get("ADMIN_TOKEN"));
            assertThat(dashboard.environment("production")).contains(pinned(release()));
            assertThat(dashboard.environment("staging")).contains(current);
            // The history records a rollout once it has finished, which is a little after the new replica serves.
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                dashboard.reload();
                assertThat(dashboard.timeline()).contains("staging/hello-django", "hook registry", "DEPLOYED", previous, current);
            });

            assertThat(dashboard.rollBack("staging", "hello-django")).startsWith("Rollback of staging/hello-django to " + previous);
            awaitServed("staging", pushedVersion(), Duration.ofMinutes(2));
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                dashboard.reload();
                assertThat(dashboard.timeline()).contains("rollback by admin");
            });
            assertThat(dashboard.environment("staging")).contains(previous).doesNotContain(current);
            Path screenshot = RinpocheImages.root().resolve("compose/target/screenshots/dashboard-live.png");
            assertThat(dashboard.screenshot(screenshot)).isGreaterThan(10_000);
        }
        assertThat(get("production", "/api/stats")).contains("\"" + release() + "\"");
    }

    /**
     * The deploy service's state repository, copied out of its volume and read with the git command line: the
     * seed of each environment, every deploy as an intent and an outcome commit, the rollback; the pin file says
     * what staging runs.
     */
    @Test
    @Order(16)
    void theStateRepositoryHoldsEveryDeployAsCommits(@TempDir Path copy) throws Exception {
        Command.docker("cp", container("platform", "deploy-service") + ":/var/lib/rinpoche/state", copy.toString());
        Path state = copy.resolve("state");

        String log = git(state, "log", "--format=%an | %s", "main");
        assertThat(log).contains("platform up | seed production/hello-django: unpinned -> hello-django:seed-")
                .contains("platform up | seed staging/hello-django: unpinned -> hello-django:seed-")
                .contains("registry hook | deploy staging/hello-django: ", ":" + pushedVersion() + "@", "(hook registry/")
                .contains("registry hook | deploy production/hello-django: ", ":" + release() + "@")
                .contains("admin | deploy staging/hello-django: ", "(rollback by admin)")
                .contains("rinpoche deploy service | deployed staging/hello-django in ");
        assertThat(git(state, "show", "main:env/staging.images.env")).contains("HELLO_DJANGO_IMAGE=" + pinned(pushedVersion()));
        assertThat(git(state, "show", "main:env/production.images.env")).contains("HELLO_DJANGO_IMAGE=" + pinned(release()));
        String app = Command.docker("ps", "-q", "--filter", "label=com.docker.compose.project=" + prefix + "-staging",
                "--filter", "label=com.docker.compose.service=hello-django").get(0);
        assertThat(Command.docker("inspect", "-f", "{{.Config.Image}}", app)).containsExactly(pinned(pushedVersion()));
    }

    /** Every container gone, `up` again: each environment starts on its pins, not on the images `up` built. */
    @Test
    @Order(17)
    void upAfterDownStartsEachEnvironmentOnItsPins() throws Exception {
        assertThat(platform.run(Duration.ofMinutes(3), "down").exitCode()).isZero();
        assertThat(containers()).isEmpty();

        Command up = platform.run(UP_TIMEOUT, "up");

        assertThat(up.exitCode()).as(up.output()).isZero();
        assertThat(up.output()).contains("staging/hello-django pinned to " + pinned(pushedVersion()));
        assertThat(get("staging", "/api/stats")).contains("\"" + pushedVersion() + "\"");
        assertThat(get("production", "/api/stats")).contains("\"" + release() + "\"");
    }

    /**
     * The CI agent image end to end: an agent on the platform's network runs the app's ci/ scripts for develop (its
     * own Docker engine builds and tests the image) and pushes to the platform's registry; staging serves it.
     */
    @Test
    @Order(18)
    void aDevelopBuildPushedByTheCiAgentIsDeployedToStaging() throws Exception {
        Map<String, String> secrets = secrets();
        try (DindAgent agent = DindAgent.start(prefix + "-platform_default",
                Map.of("DOCKERD_INSECURE_REGISTRIES", "registry:5000"))) {
            // Nothing is loaded into the agent: it pulls its base from the registry, where `up` pushed it.
            AgentPipeline.Result built = new AgentPipeline(RinpocheImages.root().resolve("examples/hello-django"),
                    "develop", "registry:5000", "rinpoche", secrets.get("REGISTRY_PASSWORD")).run(agent);
            long pushed = System.nanoTime();

            assertThat(built.pushed()).hasSize(1).allMatch(ref -> ref.startsWith("registry:5000/hello-django:develop-"));
            String version = built.pushed().get(0).substring(built.pushed().get(0).lastIndexOf(':') + 1);
            awaitServed("staging", version, Duration.ofMinutes(2));
            System.out.printf("%s built and pushed by the CI agent, served by staging %.1f s after the push%n", version,
                    (System.nanoTime() - pushed) / 1e9);
        }
        assertThat(get("production", "/api/stats")).contains("\"" + release() + "\"");
    }

    /**
     * A develop push of an image that exits at once: staging keeps the old version, the deploy ends ROLLED_BACK,
     * Prometheus fires DeployFailed, Alertmanager sends it to the team's webhook, and the dashboard lists it.
     */
    @Test
    @Order(19)
    void aBrokenImageIsRolledBackAndItsAlertReachesTheWebhookAndTheDashboard(@TempDir Path dir) throws Exception {
        String serving = get("staging", "/api/stats");
        String version = "develop-broken-" + prefix.substring(prefix.length() - 6);
        Files.writeString(dir.resolve("Dockerfile"), "FROM " + RinpocheImages.image("hello-django").asCanonicalNameString()
                + "\nENTRYPOINT [\"sh\", \"-c\", \"echo this version cannot start >&2; exit 3\"]\n");
        Map<String, String> docker = loggedIn(dir.resolve("docker"));
        run(docker, "docker", "build", "-q", "-t", repository() + ":" + version, dir.toString());
        run(docker, "docker", "push", "-q", repository() + ":" + version);
        long pushed = System.nanoTime();
        Command.docker("rmi", repository() + ":" + version);

        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(2)).until(() -> webhook.received().stream()
                .anyMatch(body -> body.contains("\"alertname\":\"DeployFailed\"") && body.contains("\"environment\":\"staging\"")
                        && body.contains("\"outcome\":\"rolled_back\"") && body.contains("\"status\":\"firing\"")));
        System.out.printf("%s rolled back; DeployFailed reached the webhook %.1f s after the push%n", version,
                (System.nanoTime() - pushed) / 1e9);
        assertThat(get("staging", "/api/stats")).doesNotContain(version).contains(version(serving));
        try (LiveDashboard dashboard = LiveDashboard.open(new DeployService(deployPort).uri("/"))) {
            dashboard.signIn(secrets().get("ADMIN_TOKEN"));
            assertThat(dashboard.alerts()).contains("DeployFailed", "environment=staging", "service=hello-django",
                    "A deploy of staging/hello-django ended rolled_back");
            assertThat(dashboard.timeline()).contains("ROLLED_BACK", version);
        }
    }

    /**
     * The analysis after a deploy on the real stack: under a steady load, a version of hello-django built with
     * FAIL_PERCENT=20 is pushed to production. Its error rate shows in Prometheus (nginx's edge metrics) and on the
     * dashboard; the analysis rolls it back within its window; the history and the state repository record it
     * ROLLED_BACK with the analysis as the reason; DeployRolledBackByAnalysis reaches the team's webhook. The edge
     * counts agree with the load generator's.
     */
    @Test
    @Order(19)
    void aVersionFailingOneRequestInFiveIsRolledBackByTheAnalysisUnderLoad(@TempDir Path dir) throws Exception {
        String bad = "0.3." + Integer.parseInt(prefix.substring(prefix.length() - 4), 16);
        pushUntagged(dir, bad, "FAIL_PERCENT=20");
        DeployService.Session dashboard = new DeployService(deployPort).signIn(secrets().get("ADMIN_TOKEN"));
        double requestsBefore = edgeRequests("production");
        double errorsBefore = edgeErrors("production");
        long pushed;
        long running;
        long shown;
        long rolledBack;
        String shownRate;
        try (SteadyLoad load = SteadyLoad.start(URI.create(url("production")).resolve("/api/stats"), 4)) {
            awaitBaseline("production");
            tagInRegistry("build-" + bad, bad, secrets().get("REGISTRY_PASSWORD"));
            pushed = System.nanoTime();
            // The deploy service's view, not the app's: a GET of production now and then fails, on purpose.
            awaitOrShowTheDeployServiceLog(Duration.ofMinutes(2), Duration.ofSeconds(1), () -> runsInProduction(bad));
            running = System.nanoTime();
            // Until the old version serves again and the dashboard has shown the error rate: while the bad version
            // runs, or, once it is rolled back, as the previous version's beside the old one's.
            long[] at = new long[2];
            String[] rate = new String[1];
            awaitOrShowTheDeployServiceLog(Duration.ofMinutes(2), Duration.ofSeconds(1), () -> {
                if (rate[0] == null && (rate[0] = errorRateShown(dashboard.page(), bad, release())) != null) {
                    at[0] = System.nanoTime();
                }
                if (at[1] == 0 && !runsInProduction(bad)) {
                    at[1] = System.nanoTime();
                }
                return rate[0] != null && at[1] != 0;
            });
            shown = at[0];
            shownRate = rate[0];
            rolledBack = at[1];
            load.close();
            System.out.printf("%s (FAIL_PERCENT=20) pushed to production under load: running %.1f s after the push, its"
                    + " error rate on the dashboard %.1f s after it (%s), the old version serving again %.1f s after it (a"
                    + " rollback by the analysis); the load generator: %d requests, %d failed%n", bad, (running - pushed) / 1e9, (shown - pushed) / 1e9,
                    shownRate, (rolledBack - pushed) / 1e9, load.sent(), load.failed());
            assertThat(load.failed()).as("the bad version's 500s").isPositive();
            // nginx's edge metrics count what the load generator sent and saw fail (once Prometheus has scraped them).
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
                assertThat(edgeRequests("production") - requestsBefore).isCloseTo(load.sent(), withPercentage(3));
                assertThat(edgeErrors("production") - errorsBefore).isCloseTo(load.failed(), withPercentage(3));
            });
            System.out.printf("the edge counted %.0f requests, %.0f of them 5xx%n", edgeRequests("production") - requestsBefore,
                    edgeErrors("production") - errorsBefore);
        }
        assertThat(get("production", "/api/stats")).contains("\"" + release() + "\"");
        double peak = prometheusValue("max_over_time((sum(rate(rinpoche_edge_requests_total{environment=\"production\","
                + "app=\"hello-django\",status=~\"5..\"}[15s])) / sum(rate(rinpoche_edge_requests_total{environment="
                + "\"production\",app=\"hello-django\"}[15s])))[3m:5s])");
        System.out.printf("production/hello-django's 5xx share at the edge in Prometheus: at most %.1f %%%n", peak * 100);
        assertThat(peak).isBetween(0.1, 0.3);

        String reason = awaitAnalysis("production", bad, "rolled_back", Duration.ofMinutes(1));
        assertThat(reason).startsWith("analysis: 5xx share rose by more than 5.0 points: after the deploy (");
        String log = history();
        assertThat(log).contains("| deploy production/hello-django: hello-django:" + bad + "@",
                "-> hello-django:" + release() + "@", "(analysis)", "| rolled back production/hello-django in ");
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(2)).until(() -> webhook.received().stream()
                .anyMatch(body -> body.contains("\"alertname\":\"DeployRolledBackByAnalysis\"")
                        && body.contains("\"environment\":\"production\"") && body.contains("\"status\":\"firing\"")));
        System.out.printf("DeployRolledBackByAnalysis reached the webhook %.1f s after the push; the reason: %s%n",
                (System.nanoTime() - pushed) / 1e9, reason);
    }

    /** Whether the deploy service lists hello-django {@code version} among production's running services. */
    private static boolean runsInProduction(String version) throws Exception {
        return adminGet("/api/environments").contains("/hello-django:" + version + "@");
    }

    /**
     * The 5xx share the dashboard shows for production's hello-django {@code bad} when it is above 0 %: its own while it
     * runs, or, once {@code old} runs again, the previous version's beside the old one's; else null.
     */
    private static String errorRateShown(String page, String bad, String old) {
        Matcher row = Pattern.compile("(?s)<tr id=\"service-production-hello-django\">(.*?)</tr>").matcher(page);
        if (!row.find()) {
            return null;
        }
        Matcher rate = Pattern.compile("(?s)class=\"nowrap figures\"><span>([0-9.]+) %</span>\\s*<span class=\"muted\">"
                + "\\(([0-9.]+) %\\)</span>").matcher(row.group(1));
        if (!rate.find()) {
            return null;
        }
        if (row.group(1).contains(":" + bad) && Double.parseDouble(rate.group(1)) > 0) {
            return rate.group(1) + " % while it ran";
        }
        return row.group(1).contains(":" + old) && Double.parseDouble(rate.group(2)) > 0
                ? rate.group(2) + " % as the previous version, beside the old one's " + rate.group(1) + " %" : null;
    }

    private static String version(String stats) {
        Matcher version = Pattern.compile("\"version\":\\s*\"([^\"]+)\"").matcher(stats);
        assertThat(version.find()).as(stats).isTrue();
        return version.group(1);
    }

    /**
     * A develop push of app B: staging's app B serves it within seconds; under steady load on both apps through the
     * rollout no request fails; app A's containers are untouched, and production's app B keeps its version.
     */
    @Test
    @Order(20)
    void aDevelopPushOfAppBIsServedInStagingWhileBothAppsTakeLoad(@TempDir Path dockerConfig) throws Exception {
        // The step before deployed app A: its old replica may still be draining. Its one replica, once settled.
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500)).until(() -> appAContainers().size() == 1);
        List<String> appA = appAContainers();
        String version = "develop-b" + prefix.substring(prefix.length() - 6);
        URI stats = URI.create(url("staging")).resolve("/api/stats");
        try (SteadyLoad onA = SteadyLoad.start(stats, 2); SteadyLoad onB = SteadyLoad.start(stats, HOST_B, 2)) {
            long pushed = pushAppB(dockerConfig, version);
            awaitOrShowTheDeployServiceLog(Duration.ofMinutes(3),
                    () -> get("staging", HOST_B, "/api/stats").contains("\"" + version + "\""));
            System.out.printf("%s:%s served by staging %.1f s after the push%n", APP_B, version, (System.nanoTime() - pushed) / 1e9);
            onA.close();
            onB.close();
            System.out.printf("under load during app B's deploy: app A %d requests, %d failed; app B %d requests, %d failed%n",
                    onA.sent(), onA.failed(), onB.sent(), onB.failed());
            assertThat(onA.failed() + onB.failed()).isZero();
            assertThat(onA.sent()).isPositive();
            assertThat(onB.sent()).isPositive();
        }
        assertThat(appAContainers()).isEqualTo(appA);
        assertThat(get("production", HOST_B, "/api/stats")).contains("\"" + RinpocheImages.tag() + "\"");
    }

    private static List<String> appAContainers() {
        return containers("staging", "hello-django");
    }

    /**
     * App B leaves the catalogue: the next up stops routing to it and removes its containers, keeps its database
     * (a row written before is still there) and says how to drop it.
     */
    @Test
    @Order(21)
    void removingAppBKeepsItsDataAndSaysHowToDropIt(@TempDir Path elsewhere) throws Exception {
        String mysql = container("staging", "mysql");
        assertThat(mariadbAs("staging", mysql, APP_B, "INSERT INTO notes.notes_note (text, created) VALUES ('kept', NOW())")
                .exitCode()).isZero();
        Files.move(apps.resolve(APP_B), elsewhere.resolve(APP_B));

        Command up = platform.run(UP_TIMEOUT, "up");

        assertThat(up.exitCode()).as(up.output()).isZero();
        assertThat(up.output()).contains("app notes is no longer in the catalogue: its containers and routes are gone, its data is kept",
                "DROP DATABASE");
        for (String env : ports.keySet()) {
            assertThat(Command.docker("ps", "-aq", "--filter", "label=com.docker.compose.service=" + APP_B,
                    "--filter", "label=com.docker.compose.project=" + prefix + "-" + env)).isEmpty();
            HttpResponse<String> gone = HTTP.send(HttpRequest.newBuilder(URI.create(url(env))).header("Host", HOST_B).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(gone.statusCode()).isEqualTo(404);
        }
        assertThat(mariadbAs("staging", container("staging", "mysql"), APP_B, "SELECT text FROM notes.notes_note").output())
                .contains("kept");
        assertThat(get("staging", "/api/stats")).contains("visits");
    }

    /** Builds app B at {@code version} and pushes it to the platform's registry; returns when pushed (nanoTime). */
    private static long pushAppB(Path dockerConfig, String version) throws Exception {
        String image = "127.0.0.1:" + registryPort + "/" + APP_B + ":" + version;
        Map<String, String> docker = loggedIn(dockerConfig);
        run(docker, "docker", "build", "-q", "-t", image, "--build-arg", "APP_VERSION=" + version,
                "--build-arg", "BASE_IMAGE=" + RinpocheImages.image("django").asCanonicalNameString(),
                apps.resolve(APP_B).toString());
        run(docker, "docker", "push", "-q", image);
        long pushed = System.nanoTime();
        // The deploy service may already run it (same engine, same image): then the name stays until @AfterAll.
        Command.run(Duration.ofSeconds(30), Map.of(), List.of("docker", "rmi", image));
        return pushed;
    }

    /**
     * Backups while things happen: one while a deploy to staging runs and production serves a steady load, with no
     * failed request; the deploy finishes. Then the backup the disaster recovery below restores, under a load that
     * writes (each GET of / counts a visit in MariaDB), so the snapshot is taken in the middle of writes.
     */
    @Test
    @Order(22)
    void backupsRunDuringADeployAndUnderAWriteLoad(@TempDir Path dockerConfig) throws Exception {
        Command.docker("run", "--rm", "-v", prefix + "-platform_jenkins-home:/home", "--entrypoint", "sh",
                RinpocheImages.image("backup").asCanonicalNameString(), "-c", "echo '<hudson/>' >/home/config.xml");
        int deployed = count(history(), "deployed staging/hello-django");
        push(dockerConfig, backedUpVersion());
        backupUnderLoad("/api/stats");
        awaitServed("staging", backedUpVersion(), Duration.ofMinutes(2));
        // The outcome commit follows the rollout; the history restored must hold it.
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1))
                .until(() -> count(history(), "deployed staging/hello-django") > deployed);

        beforeDisaster = recoverable();
        long visitsBefore = (Long) beforeDisaster.remove("visits production");
        Command backup = backupUnderLoad("/");
        productionVisits = List.of(visitsBefore, visits("production"));

        assertThat(backup.output()).contains("mysql:production", "redis:staging", "state", "registry", "jenkins");
        URI lastBackup = URI.create("http://127.0.0.1:" + prometheusPort
                + "/api/v1/query?query=rinpoche_backup_last_success_timestamp_seconds%3E0");
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(2))
                .untilAsserted(() -> assertThat(body(lastBackup)).contains("\"job\":\"node\""));
    }

    /**
     * Disaster recovery, end to end: everything is destroyed (`down --volumes --yes`, the images pulled from and
     * pushed to the registry, the whole state directory with its secrets and pins) except the backup repository on
     * its own disk and the key kept off the host; `up` on the empty host, `restore`, and the same visit counts
     * (production's: one the writes went through), pins, deployment history, registry tags by digest and Jenkins'
     * home are back; the apps (their migrations run at start) accept the restored databases. The rebuilt host runs
     * from a fresh clone of the repository (of its last commit), and every rinpoche/* image of this version is removed
     * first (by name: one another project on this engine still runs stays), so `up` builds them again.
     */
    @Test
    @Order(23)
    void aBackupBringsTheDataBackOnAHostRebuiltFromNothing() throws Exception {
        assertThat(beforeDisaster).as("the backup of the test before").isNotNull();
        String key = secrets().get("RESTIC_PASSWORD");

        destroyEverything();
        clone = Files.createTempDirectory("rinpoche-clone").resolve("rinpoche");
        Command cloned = Command.run(Duration.ofMinutes(2), Map.of(), List.of("git", "clone", "-q",
                RinpocheImages.root().toString(), clone.toString()));
        assertThat(cloned.exitCode()).as(cloned.output()).isZero();
        platform = platform.in(clone);
        Files.writeString(stateDir.resolve("secrets.env"), "RESTIC_PASSWORD=" + key + "\n");
        long rebuilt = System.nanoTime();
        Command up = platform.run(UP_TIMEOUT, "up");
        assertThat(up.exitCode()).as(up.output()).isZero();
        long restoring = System.nanoTime();
        Command restore = platform.run(Duration.ofMinutes(15), "restore");
        assertThat(restore.exitCode()).as(restore.output()).isZero();
        System.out.printf("host rebuilt: up %.1f s, restore %.1f s%n%s", (restoring - rebuilt) / 1e9,
                (System.nanoTime() - restoring) / 1e9, restore.output());

        Map<String, Object> after = recoverable();
        long production = (Long) after.remove("visits production");
        System.out.printf("production's visits: %d before the backup, %d restored, %d after it%n", productionVisits.get(0),
                production, productionVisits.get(1));
        assertThat(production).isBetween(productionVisits.get(0), productionVisits.get(1));
        assertThat(after).isEqualTo(beforeDisaster);
        for (String env : ports.keySet()) {
            assertThat(get(env, "/healthz")).containsPattern("\"db\":\\s*\"ok\"");
            String app = container(env, "hello-django");
            assertThat(Command.docker("inspect", "-f", "{{.Config.Image}}", app).get(0))
                    .isEqualTo(((String) beforeDisaster.get("pins " + env)).lines()
                            .filter(line -> line.startsWith("HELLO_DJANGO_IMAGE=")).findFirst().orElseThrow().substring("HELLO_DJANGO_IMAGE=".length()));
        }
    }

    /** Staging alone goes back to the latest snapshot; production keeps serving, its containers untouched, no failure. */
    @Test
    @Order(24)
    void oneEnvironmentIsRestoredWhileTheOtherKeepsServing() throws Exception {
        long staging = visits("staging");
        get("staging", "/");
        get("staging", "/");
        List<String> production = Command.docker("ps", "-q", "--filter", "label=com.docker.compose.project=" + prefix + "-production");

        try (SteadyLoad load = SteadyLoad.start(URI.create(url("production")).resolve("/api/stats"), 4)) {
            Command restore = platform.run(Duration.ofMinutes(10), "restore", "--env", "staging");
            load.close();
            assertThat(restore.exitCode()).as(restore.output()).isZero();
            System.out.printf("staging restored while production served %d requests, %d failed%n", load.sent(), load.failed());
            assertThat(load.failed()).isZero();
        }
        assertThat(visits("staging")).isEqualTo(staging);
        assertThat(Command.docker("ps", "-q", "--filter", "label=com.docker.compose.project=" + prefix + "-production"))
                .isEqualTo(production);
    }

    /** `./platform backup` while {@code path} of production is under a steady load: it succeeds, no request fails. */
    private static Command backupUnderLoad(String path) throws Exception {
        try (SteadyLoad load = SteadyLoad.start(URI.create(url("production")).resolve(path), 4)) {
            long started = System.nanoTime();
            Command backup = platform.run(Duration.ofMinutes(10), "backup");
            load.close();
            assertThat(backup.exitCode()).as(backup.output()).isZero();
            System.out.printf("backup in %.1f s, production under load on %s: %d requests, %d failed%n%s",
                    (System.nanoTime() - started) / 1e9, path, load.sent(), load.failed(), backup.output());
            assertThat(load.failed()).isZero();
            return backup;
        }
    }

    /** The state repository's history, copied out of the deploy service's volume. */
    private static String history() throws IOException {
        Path copy = Files.createTempDirectory("rinpoche-state-copy");
        try {
            Command.docker("cp", container("platform", "deploy-service") + ":/var/lib/rinpoche/state", copy.toString());
            return git(copy.resolve("state"), "log", "--format=%H %an | %s", "main");
        } finally {
            deleteTree(copy);
        }
    }

    /** The develop version deployed to staging while a backup runs. */
    private static String backedUpVersion() {
        return "develop-backup-" + prefix.substring(prefix.length() - 7);
    }

    /** What a restore must bring back: visits, pins, the state repository's history, registry tags, Jenkins' home. */
    private static Map<String, Object> recoverable() throws Exception {
        Map<String, Object> state = new HashMap<>();
        for (String env : ports.keySet()) {
            state.put("visits " + env, visits(env));
            state.put("pins " + env, adminGet("/api/pins/" + env));
        }
        state.put("history", history());
        Matcher tags = Pattern.compile("\"([^\"]+)\"").matcher(body(URI.create("http://127.0.0.1:" + registryPort
                + "/v2/hello-django/tags/list"), null, secrets().get("REGISTRY_PASSWORD")).replaceAll(".*\"tags\":\\[", ""));
        while (tags.find()) {
            state.put("tag " + tags.group(1), digest(tags.group(1)));
        }
        state.put("jenkins", Command.docker("run", "--rm", "-v", prefix + "-platform_jenkins-home:/home", "--entrypoint",
                "cat", RinpocheImages.image("backup").asCanonicalNameString(), "/home/config.xml"));
        return state;
    }

    /** Data volumes, the images from the registry, the state directory (secrets, pins, logins): all gone. */
    private static void destroyEverything() throws IOException {
        Command down = platform.run(Duration.ofMinutes(3), "down", "--volumes", "--yes");
        assertThat(down.exitCode()).as(down.output()).isZero();
        OwnImages.removeFromRegistry("127.0.0.1:" + registryPort);
        try (Stream<Path> files = Files.list(stateDir)) {
            for (Path file : files.filter(file -> !file.equals(backupDir)).toList()) {
                deleteTree(file);
            }
        }
        assertThat(Command.docker("volume", "ls", "-q", "--filter", "name=" + prefix)).isEmpty();
        List<String> images = Command.docker("images", "--format", "{{.Repository}}:{{.Tag}}", "--filter",
                "reference=rinpoche/*:" + RinpocheImages.tag());
        List<String> kept = OwnImages.remove(images);
        System.out.printf("removed %d rinpoche images; kept, in use elsewhere on this engine: %s%n", images.size() - kept.size(), kept);
    }

    private static String adminGet(String path) throws Exception {
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + deployPort + path))
                .header("Authorization", "Bearer " + secrets().get("ADMIN_TOKEN")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return answer.body();
    }


    /**
     * Builds hello-django at {@code version} and pushes it under a tag no rule takes; removes it from the engine;
     * then tags that manifest {@code version} in the registry, which fires the hook. The deploy service must pull
     * the image (with the registry login), and nothing races with the local copy. Waits until {@code env} serves it.
     */
    private static void pushAndAwait(Path dockerConfig, String version, String env) throws Exception {
        long tagged = push(dockerConfig, version);
        awaitServed(env, version, Duration.ofMinutes(2));
        System.out.printf("%s:%s served by %s %.1f s after the push%n", repository(), version, env,
                (System.nanoTime() - tagged) / 1e9);
    }

    /** The environment of a docker CLI logged in to the platform's registry with the generated password. */
    private static Map<String, String> loggedIn(Path dockerConfig) throws IOException {
        Map<String, String> docker = Map.of("DOCKER_CONFIG", dockerConfig.toString());
        Command login = Command.run(Duration.ofMinutes(1), docker, List.of("docker", "login", "-u", "rinpoche",
                "--password-stdin", "127.0.0.1:" + registryPort), secrets().get("REGISTRY_PASSWORD"));
        assertThat(login.exitCode()).as(login.output()).isZero();
        return docker;
    }

    /** The push part of {@link #pushAndAwait}: returns when the tag was put (System.nanoTime()). */
    private static long push(Path dockerConfig, String version) throws Exception {
        pushUntagged(dockerConfig, version);
        tagInRegistry("build-" + version, version, secrets().get("REGISTRY_PASSWORD"));
        return System.nanoTime();
    }

    /**
     * Builds hello-django at {@code version} (with {@code buildArgs}, such as FAIL_PERCENT=20) and pushes it as
     * build-{@code version}, a tag no rule takes; removes it from the engine.
     */
    private static void pushUntagged(Path dockerConfig, String version, String... buildArgs) throws Exception {
        String built = repository() + ":build-" + version;
        Map<String, String> docker = loggedIn(dockerConfig);
        List<String> build = new ArrayList<>(List.of("docker", "build", "-q", "-t", built, "--build-arg", "APP_VERSION=" + version,
                "--build-arg", "BASE_IMAGE=" + RinpocheImages.image("django").asCanonicalNameString()));
        for (String arg : buildArgs) {
            build.addAll(List.of("--build-arg", arg));
        }
        build.add(RinpocheImages.root().resolve("examples/hello-django").toString());
        run(docker, build.toArray(String[]::new));
        run(docker, "docker", "push", "-q", built);
        Command.docker("rmi", built);
    }

    /** GET of hello-django's manifest {@code tag} from the registry, with the generated login. */
    private static HttpResponse<byte[]> manifest(String tag) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(manifestUri(tag))
                .header("Authorization", basicAuth("rinpoche", secrets().get("REGISTRY_PASSWORD")))
                .header("Accept", "application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json")
                .build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** The digest of hello-django:{@code tag} in the registry, as the deploy service pins it. */
    private static String digest(String tag) throws Exception {
        return manifest(tag).headers().firstValue("Docker-Content-Digest").orElseThrow();
    }

    private static URI manifestUri(String tag) {
        return URI.create("http://127.0.0.1:" + registryPort + "/v2/hello-django/manifests/" + tag);
    }

    private static String basicAuth(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static void awaitServed(String env, String version, Duration atMost) {
        awaitOrShowTheDeployServiceLog(atMost, () -> {
            SERVED_PROBES.incrementAndGet();
            return get(env, "/api/stats").contains("\"" + version + "\"");
        });
    }

    /** Waits for a deploy's effect; when it does not come, prints what the deploy service said meanwhile. */
    private static void awaitOrShowTheDeployServiceLog(Duration atMost, Callable<Boolean> served) {
        awaitOrShowTheDeployServiceLog(atMost, Duration.ofMillis(250), served);
    }

    private static void awaitOrShowTheDeployServiceLog(Duration atMost, Duration poll, Callable<Boolean> served) {
        try {
            await().atMost(atMost).pollInterval(poll).until(served);
        } catch (ConditionTimeoutException e) {
            System.out.println("the deploy service's last log lines:\n" + String.join("\n",
                    Command.docker("logs", "--tail", "60", container("platform", "deploy-service"))));
            throw e;
        }
    }

    private static String repository() {
        return "127.0.0.1:" + registryPort + "/hello-django";
    }

    /** hello-django:{@code tag} pinned to its digest in the registry, as the deploy service runs and pins it. */
    private static String pinned(String tag) throws Exception {
        return repository() + ":" + tag + "@" + digest(tag);
    }

    private static String git(Path repository, String... args) {
        List<String> argv = new ArrayList<>(List.of("git", "--git-dir", repository.toString()));
        argv.addAll(List.of(args));
        Command result = Command.run(Duration.ofSeconds(30), Map.of(), argv);
        assertThat(result.exitCode()).as(result.output()).isZero();
        return result.output();
    }

    /** Puts the manifest of tag {@code from} under tag {@code to}: a push of that tag, as the registry reports it. */
    private static void tagInRegistry(String from, String to, String password) throws Exception {
        HttpResponse<byte[]> manifest = manifest(from);
        assertThat(manifest.statusCode()).isEqualTo(200);
        HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(manifestUri(to))
                .header("Authorization", basicAuth("rinpoche", password))
                .header("Content-Type", manifest.headers().firstValue("Content-Type").orElseThrow())
                .PUT(HttpRequest.BodyPublishers.ofByteArray(manifest.body())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
    }

    private static String release() {
        return "0.2." + Integer.parseInt(prefix.substring(prefix.length() - 4), 16);
    }

    /** The develop version pushed while the deploy service is down. */
    private static String retriedVersion() {
        return "develop-retry-" + prefix.substring(prefix.length() - 7);
    }

    private static String pushedVersion() {
        return "develop-" + prefix.substring(prefix.length() - 7);
    }

    private static int count(String text, String part) {
        return text.split(Pattern.quote(part), -1).length - 1;
    }

    private static Map<String, String> secrets() throws IOException {
        Map<String, String> secrets = new HashMap<>();
        for (String line : Files.readAllLines(stateDir.resolve("secrets.env"))) {
            secrets.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
        }
        return secrets;
    }

    private static void run(Map<String, String> env, String... argv) {
        Command result = Command.run(Duration.ofMinutes(3), env, List.of(argv));
        assertThat(result.exitCode()).as(String.join(" ", argv) + ": " + result.output()).isZero();
    }

    private static Platform platformOn(int production, int staging, int deploy, String projectPrefix) {
        Map<String, String> env = new HashMap<>();
        env.put("RINPOCHE_PROJECT_PREFIX", projectPrefix);
        env.put("RINPOCHE_STATE_DIR", stateDir.toString());
        env.put("RINPOCHE_APPS_DIR", apps.toString());
        env.put("BACKUP_REPOSITORY", backupDir.toString());
        // The scheduled backup would start 10 minutes after the first `up`, in the middle of these tests.
        env.put("BACKUP_FIRST_DELAY", "24h");
        env.put("PRODUCTION_PORT", String.valueOf(production));
        env.put("STAGING_PORT", String.valueOf(staging));
        env.put("DEPLOY_PORT", String.valueOf(deploy));
        env.put("REGISTRY_PORT", String.valueOf(projectPrefix.equals(prefix) ? registryPort : freePort()));
        env.put("PROMETHEUS_PORT", String.valueOf(projectPrefix.equals(prefix) ? prometheusPort : freePort()));
        env.put("ALERT_WEBHOOK_URL", webhook.url());
        // The analysis after a deploy (production) watches a new version for 30 s instead of 2 min, and Prometheus
        // scrapes every 5 s instead of 15 s (the analysis reads the figures as often): verdicts in seconds.
        env.put("ANALYSIS_WINDOW", ANALYSIS_WINDOW.toSeconds() + "s");
        env.put("PROMETHEUS_SCRAPE_INTERVAL", "5s");
        return new Platform(env);
    }

    /** The running containers of the platform and both environments. */
    private static List<String> containers() {
        return List.of("platform", "production", "staging").stream()
                .flatMap(stack -> Command.docker("ps", "-q", "--no-trunc",
                        "--filter", "label=com.docker.compose.project=" + prefix + "-" + stack).stream())
                .sorted().toList();
    }

    private static String url(String env) {
        return "http://127.0.0.1:" + ports.get(env) + "/";
    }

    private static long visits(String env) {
        Matcher matcher = VISITS.matcher(get(env, "/api/stats"));
        assertThat(matcher.find()).isTrue();
        return Long.parseLong(matcher.group(1));
    }

    private static String get(String env, String path) {
        return body(URI.create(url(env)).resolve(path));
    }

    /** GET with a Host header of its own (the JVM runs with jdk.httpclient.allowRestrictedHeaders=host). */
    private static String get(String env, String host, String path) {
        return body(URI.create(url(env)).resolve(path), host, null);
    }

    /** The running container of {@code service} in {@code env} (or the stack "platform"). */
    private static String container(String env, String service) {
        return containers(env, service).get(0);
    }

    /** The running containers of {@code service} in {@code env} (its replicas, and a rollout's new one meanwhile). */
    private static List<String> containers(String env, String service) {
        return Command.docker("ps", "-q", "--no-trunc", "--filter", "label=com.docker.compose.project=" + prefix + "-" + env,
                "--filter", "label=com.docker.compose.service=" + service);
    }

    /** SQL run in {@code env}'s MariaDB as the database user of an app, with its generated password. */
    private static Command mariadbAs(String env, String mysql, String user, String sql) throws IOException {
        String password = secrets().get(env.toUpperCase() + "_" + user.toUpperCase() + "_DATABASE_PASSWORD");
        return Command.run(Duration.ofSeconds(30), Map.of(), List.of("docker", "exec", "-e", "MYSQL_PWD=" + password,
                mysql, "mariadb", "-u", user, "--batch", "-e", sql));
    }

    /** hello-django's requests in {@code environment} as nginx's edge metrics counted them, from Prometheus. */
    private static double edgeRequests(String environment) {
        return prometheusValue("sum(rinpoche_edge_requests_total{environment=\"" + environment + "\",app=\"hello-django\"})");
    }

    /** hello-django's 5xx answers in {@code environment} as nginx's edge metrics counted them, from Prometheus. */
    private static double edgeErrors(String environment) {
        return prometheusValue("sum(rinpoche_edge_requests_total{environment=\"" + environment
                + "\",app=\"hello-django\",status=~\"5..\"})");
    }

    /** The value of an instant query with one result; 0 when it has none. */
    private static double prometheusValue(String query) {
        String answer = body(URI.create("http://127.0.0.1:" + prometheusPort + "/api/v1/query?query="
                + URLEncoder.encode(query, StandardCharsets.UTF_8)));
        Matcher value = Pattern.compile("\"value\":\\[[0-9.]+,\"([0-9.e+-]+)\"\\]").matcher(answer);
        return value.find() ? Double.parseDouble(value.group(1)) : 0;
    }

    /**
     * Waits until Prometheus has counted 150 more requests of hello-django in {@code environment} at the edge (a load
     * runs): the analysis after a deploy judges a version only against a baseline of 100 requests or more.
     */
    private static void awaitBaseline(String environment) {
        double counted = edgeRequests(environment);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> edgeRequests(environment) - counted >= 150);
    }

    /**
     * Waits for the analysis' history entry of the deploy of hello-django {@code version} to {@code environment}, with
     * {@code outcome} (skipped: passed or not analysed; rolled_back: the analysis rolled it back); returns its reason.
     */
    private static String awaitAnalysis(String environment, String version, String outcome, Duration atMost) {
        String[] reason = new String[1];
        awaitOrShowTheDeployServiceLog(atMost, Duration.ofSeconds(1), () -> {
            reason[0] = analysis(environment, version, outcome);
            return reason[0] != null;
        });
        return reason[0];
    }

    /** The reason of the newest history entry of the analysis as {@link #awaitAnalysis} says; null when none. */
    private static String analysis(String environment, String version, String outcome) throws Exception {
        for (String entry : adminGet("/api/deployments?size=20").split("\\{\"id\":")) {
            boolean of = entry.contains("\"environment\":\"" + environment + "\"") && entry.contains("\"kind\":\"analysis\"")
                    && entry.contains("\"outcome\":\"" + outcome + "\"") && entry.contains(":" + version + "@");
            Matcher reason = Pattern.compile("\"reason\":\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(entry);
            if (of && reason.find()) {
                return reason.group(1);
            }
        }
        return null;
    }

    private static String body(URI uri) {
        return body(uri, null, null);
    }

    /**
     * The body of a GET that must answer 200, sent with {@code host} as Host header when given, and with the registry's
     * login when {@code registryPassword} is given.
     */
    private static String body(URI uri, String host, String registryPassword) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10));
        if (host != null) {
            builder.header("Host", host);
        }
        if (registryPassword != null) {
            builder.header("Authorization", basicAuth("rinpoche", registryPassword));
        }
        HttpRequest request = builder.build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("GET " + uri + ": " + response.body()).isEqualTo(200);
            return response.body();
        } catch (IOException e) {
            throw new AssertionError("GET " + uri + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }
}
