package io.rinpoche.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rinpoche.jenkinsagent.AgentPipeline;
import io.rinpoche.jenkinsagent.DindAgent;
import io.rinpoche.testing.Command;
import io.rinpoche.testing.OwnImages;
import io.rinpoche.testing.RinpocheImages;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
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
    private static final Pattern VISITS = Pattern.compile("\"visits\":\\s*(\\d+)");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static String prefix;
    private static Path stateDir;
    private static Map<String, Integer> ports;
    private static int deployPort;
    private static int registryPort;
    private static int prometheusPort;
    private static Platform platform;
    private static Command firstUp;

    @BeforeAll
    static void up() throws IOException {
        prefix = "rinpoche-it-" + UUID.randomUUID().toString().substring(0, 8);
        stateDir = Files.createTempDirectory("rinpoche-state");
        ports = Map.of("production", freePort(), "staging", freePort());
        deployPort = freePort();
        registryPort = freePort();
        prometheusPort = freePort();
        platform = platformOn(ports.get("production"), ports.get("staging"), deployPort, prefix);
        firstUp = platform.run(UP_TIMEOUT, "up");
    }

    @AfterAll
    static void down() throws IOException {
        if (platform != null) {
            platform.run(Duration.ofMinutes(3), "down", "--volumes", "--yes");
            // The names of its registry: the seed `up` tagged, and what the deploy service pulled (by digest). The
            // seed is the very image of rinpoche/hello-django, which the host's own platform may run: by name only.
            OwnImages.removeFromRegistry("127.0.0.1:" + registryPort);
        }
        if (stateDir != null) {
            // It holds the generated secrets, the pins and a registry login.
            try (Stream<Path> files = Files.walk(stateDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
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
            assertThat(get(env, "/")).contains("0.1.0");
            assertThat(get(env, "/healthz"))
                    .containsPattern("\"status\":\\s*\"ok\"")
                    .containsPattern("\"db\":\\s*\"ok\"")
                    .containsPattern("\"cache\":\\s*\"ok\"");
        }
    }

    /** Prometheus scrapes the platform, the host and every environment's exporters: each target is up. */
    @Test
    @Order(2)
    void everyPrometheusTargetIsUp() {
        URI targets = URI.create("http://127.0.0.1:" + prometheusPort + "/api/v1/targets?state=active");
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            String body = body(targets);
            assertThat(body).contains("\"job\":\"deploy-service\"", "\"job\":\"registry\"", "\"job\":\"node\"",
                    "production-nginx-exporter", "staging-redis-exporter", "staging-mysqld-exporter");
            assertThat(count(body, "\"health\":\"up\"")).as(body).isEqualTo(10);
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
        try (SteadyLoad load = SteadyLoad.start(URI.create(url("staging")).resolve("/api/stats"), 4)) {
            pushAndAwait(dockerConfig, pushedVersion(), "staging");
            load.close();
            System.out.printf("staging under load during the deploy: %d requests, %d failed%n", load.sent(), load.failed());
            assertThat(load.failed()).isZero();
        }
        assertThat(get("production", "/api/stats")).contains("\"0.1.0\"");
        URI deployments = URI.create("http://127.0.0.1:" + prometheusPort
                + "/api/v1/query?query=rinpoche_deployments_total%7Benvironment%3D%22staging%22%2Coutcome%3D%22deployed%22%7D");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2))
                .untilAsserted(() -> assertThat(body(deployments)).contains("\"service\":\"app\""));
        // After a deploy, every metric the Grafana dashboard reads is in Prometheus.
        URI names = URI.create("http://127.0.0.1:" + prometheusPort + "/api/v1/label/__name__/values");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            String known = body(names);
            assertThat(GrafanaDashboard.metrics()).allSatisfy(name -> assertThat(known).contains("\"" + name + "\""));
        });
    }

    /** A semver tag goes to production, under load with no failed request; staging keeps its version. */
    @Test
    @Order(9)
    void aPushedSemverImageIsDeployedToProductionUnderLoad(@TempDir Path dockerConfig) throws Exception {
        String release = release();
        try (SteadyLoad load = SteadyLoad.start(URI.create(url("production")).resolve("/api/stats"), 4)) {
            pushAndAwait(dockerConfig, release, "production");
            load.close();
            System.out.printf("production under load during the deploy: %d requests, %d failed%n", load.sent(), load.failed());
            assertThat(load.failed()).isZero();
        }
        assertThat(get("staging", "/api/stats")).contains("\"" + pushedVersion() + "\"");
    }

    /** A re-run of `up` after a deploy leaves the deployed service alone instead of putting it back. */
    @Test
    @Order(10)
    void upAfterADeployKeepsTheDeployedImage() {
        Command up = platform.run(UP_TIMEOUT, "up");

        assertThat(up.exitCode()).as(up.output()).isZero();
        assertThat(up.output()).contains("kept as deployed by the deploy service: app");
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
        String deployService = platformContainer("deploy-service");
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
        assertThat(platformContainer("deploy-service")).isEqualTo(deployService);
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
                assertThat(dashboard.timeline()).contains("staging/app", "hook registry", "DEPLOYED", previous, current);
            });

            assertThat(dashboard.rollBack("staging", "app")).startsWith("Rollback of staging/app to " + previous);
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
        Command.docker("cp", platformContainer("deploy-service") + ":/var/lib/rinpoche/state", copy.toString());
        Path state = copy.resolve("state");

        String log = git(state, "log", "--format=%an | %s", "main");
        assertThat(log).contains("platform up | seed production/app: unpinned -> hello-django:seed-")
                .contains("platform up | seed staging/app: unpinned -> hello-django:seed-")
                .contains("registry hook | deploy staging/app: ", ":" + pushedVersion() + "@", "(hook registry/")
                .contains("registry hook | deploy production/app: ", ":" + release() + "@")
                .contains("admin | deploy staging/app: ", "(rollback by admin)")
                .contains("rinpoche deploy service | deployed staging/app in ");
        assertThat(git(state, "show", "main:env/staging.images.env")).contains("APP_IMAGE=" + pinned(pushedVersion()));
        assertThat(git(state, "show", "main:env/production.images.env")).contains("APP_IMAGE=" + pinned(release()));
        String app = Command.docker("ps", "-q", "--filter", "label=com.docker.compose.project=" + prefix + "-staging",
                "--filter", "label=com.docker.compose.service=app").get(0);
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
        assertThat(up.output()).contains("staging/app pinned to " + pinned(pushedVersion()));
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

    /** The running container of {@code service} in the platform's compose project. */
    private static String platformContainer(String service) {
        return Command.docker("ps", "-q", "--no-trunc",
                "--filter", "label=com.docker.compose.project=" + prefix + "-platform",
                "--filter", "label=com.docker.compose.service=" + service).get(0);
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

    /** The push part of {@link #pushAndAwait}: returns when the tag was put (System.nanoTime()). */
    private static long push(Path dockerConfig, String version) throws Exception {
        String built = repository() + ":build-" + version;
        Map<String, String> docker = Map.of("DOCKER_CONFIG", dockerConfig.toString());
        String password = secrets().get("REGISTRY_PASSWORD");
        Command login = Command.run(Duration.ofMinutes(1), docker, List.of("docker", "login", "-u", "rinpoche",
                "--password-stdin", "127.0.0.1:" + registryPort), password);
        assertThat(login.exitCode()).as(login.output()).isZero();
        run(docker, "docker", "build", "-q", "-t", built, "--build-arg", "APP_VERSION=" + version,
                "--build-arg", "BASE_IMAGE=" + RinpocheImages.image("django").asCanonicalNameString(),
                RinpocheImages.root().resolve("examples/hello-django").toString());
        run(docker, "docker", "push", "-q", built);
        Command.docker("rmi", built);

        tagInRegistry("build-" + version, version, password);
        return System.nanoTime();
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
        await().atMost(atMost).pollInterval(Duration.ofMillis(250))
                .until(() -> get(env, "/api/stats").contains("\"" + version + "\""));
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
        env.put("PRODUCTION_PORT", String.valueOf(production));
        env.put("STAGING_PORT", String.valueOf(staging));
        env.put("DEPLOY_PORT", String.valueOf(deploy));
        env.put("REGISTRY_PORT", String.valueOf(projectPrefix.equals(prefix) ? registryPort : freePort()));
        env.put("PROMETHEUS_PORT", String.valueOf(projectPrefix.equals(prefix) ? prometheusPort : freePort()));
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

    private static String body(URI uri) {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build();
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
