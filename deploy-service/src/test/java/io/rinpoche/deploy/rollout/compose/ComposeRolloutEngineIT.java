package io.rinpoche.deploy.rollout.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rinpoche.deploy.rollout.EngineSettings;
import io.rinpoche.deploy.model.DeployRequest;
import io.rinpoche.deploy.model.ImageRef;
import io.rinpoche.deploy.model.ServiceName;
import io.rinpoche.deploy.rollout.Load;
import io.rinpoche.deploy.rollout.RolloutEngine;
import io.rinpoche.deploy.rollout.RolloutEngineContract;
import io.rinpoche.deploy.rollout.RolloutResult;
import io.rinpoche.deploy.rollout.RolloutStack;
import io.rinpoche.deploy.rollout.ServiceState;
import io.rinpoche.testing.Command;
import io.rinpoche.testing.SocketProxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The compose engine against the real Docker engine: the shared contract, and what compose adds to it. The engine
 * talks to Docker through rinpoche/socket-proxy, as the platform's deploy service does, which allows bind mounts only
 * under the stack's folder (where its secret file is); at the end, the proxy must have refused none of its calls.
 */
class ComposeRolloutEngineIT extends RolloutEngineContract {

    private static ComposeStack stack;
    private static SocketProxy proxy;
    private static ComposeRolloutEngine engine;

    @BeforeAll
    static void start() throws Exception {
        stack = ComposeStack.start();
        proxy = SocketProxy.start(stack.directory());
        engine = new ComposeRolloutEngine(EngineSettings.bind(ComposeEngineSettings.class, Map.of(
                "docker-host", proxy.dockerHost(), "project-prefix", stack.projectPrefix(), "health-timeout", "30s",
                "proxy-upstreams", stack.upstreams())), Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        try (SocketProxy closed = proxy; ComposeStack removed = stack; ComposeRolloutEngine engineClosed = engine) {
            if (proxy != null) {
                System.out.println("Docker API calls of the compose engine through " + proxy.name() + ": " + proxy.calls());
                assertThat(proxy.refusals()).as("calls of the engine the socket proxy refused").isEmpty();
            }
        }
    }

    @Override
    protected RolloutEngine engine() {
        return engine;
    }

    @Override
    protected RolloutStack stack() {
        return stack;
    }

    @Test
    void theContainerConfigurationSurvivesARollout() throws Exception {
        JsonNode old = inspect(stack.compose("ps", "-q", "app").strip());
        for (int i = 0; i < 3; i++) {
            get("/"); // each visit is a row update in the sqlite file on the volume
        }
        int visits = visits();
        ImageRef target = stack.nextVersion();

        RolloutResult result = engine.roll(request(target));

        assertThat(result.outcome()).as(result.summary()).isEqualTo(RolloutResult.Outcome.DEPLOYED);
        List<String> listed = stack.compose("ps", "--format", "{{.Name}}", "app").lines().toList();
        assertThat(listed).as("docker compose ps app").hasSize(1).doesNotContain(name(old));
        JsonNode fresh = inspect(listed.get(0));
        assertThat(strings(fresh.path("Config").path("Env")))
                .contains("TEAM_SETTING=set-by-the-compose-file", "DATABASE_NAME=/data/db.sqlite3",
                        "APP_VERSION=" + target.tag())
                .doesNotContain("APP_VERSION=" + old.path("Config").path("Image").asString().replaceAll(".*:", ""));
        assertThat(volumeAt(fresh, "/data")).isEqualTo(volumeAt(old, "/data")).endsWith("_data");
        assertThat(bindAt(fresh, "/run/secrets/app_secret_key")).as("the compose secret, a bind mount")
                .isEqualTo(bindAt(old, "/run/secrets/app_secret_key")).endsWith("/app-secret-key");
        assertThat(strings(fresh.path("Config").path("Env"))).contains("DJANGO_SECRET_KEY_FILE=/run/secrets/app_secret_key")
                .noneMatch(entry -> entry.contains(stack.secretKey()));
        assertThat(visits()).as("visits counted before the rollout, read from the new container").isEqualTo(visits);
        Map<String, String> labels = labels(fresh);
        assertThat(labels).containsEntry("io.example.team", "web")
                .containsEntry("io.example.version", target.tag())
                .containsEntry("com.docker.compose.project", stack.project())
                .containsEntry("com.docker.compose.service", "app")
                .containsEntry("com.docker.compose.config-hash", labels(old).get("com.docker.compose.config-hash"))
                .containsEntry("com.docker.compose.image", fresh.path("Image").asString())
                .containsEntry(RolloutLabels.ROLE, RolloutLabels.REPLICA)
                .containsEntry(RolloutLabels.REPLACES, old.path("Id").asString())
                .containsKey(RolloutLabels.ID);
        assertThat(Integer.parseInt(labels.get("com.docker.compose.container-number")))
                .isGreaterThan(Integer.parseInt(labels(old).get("com.docker.compose.container-number")));
        JsonNode endpoint = fresh.path("NetworkSettings").path("Networks").path(stack.project() + "_default");
        assertThat(strings(endpoint.path("Aliases"))).contains("app", "app-extra-alias", name(fresh));
        assertThat(stack.compose("exec", "-T", "nginx", "getent", "hosts", "app-extra-alias"))
                .startsWith(endpoint.path("IPAddress").asString() + " ");
        assertThat(fresh.path("HostConfig").path("RestartPolicy").path("Name").asString()).isEqualTo("unless-stopped");
        assertThat(fresh.path("Config").path("Healthcheck")).isEqualTo(old.path("Config").path("Healthcheck"));
        assertThat(Command.docker("ps", "-aq", "--filter", "label=" + RolloutLabels.PROJECT + "=" + stack.project(),
                "--filter", "label=" + RolloutLabels.ROLE + "=" + RolloutLabels.PROBE)).as("probes left").isEmpty();
        try (var files = java.nio.file.Files.list(java.nio.file.Path.of(stack.upstreams(), stack.environment().name()))) {
            assertThat(files.toList()).as("nginx's upstream files, once the rollout is over").isEmpty();
        }
    }

    /** Told by upstream files, nginx sends nothing to a replica before it is healthy: the replica is its own probe. */
    @Test
    void replicasAreReplacedOneAtATimeWithoutAProbe() throws Exception {
        List<String> old = stack.compose("ps", "--format", "{{.Name}}", "worker").lines().sorted().toList();
        assertThat(old).hasSize(2);
        RolloutResult result;
        Map<String, Long> at;
        long ended;
        try (DockerEvents events = DockerEvents.start()) {
            result = engine.roll(new DeployRequest(stack.environment(), ServiceName.of("worker"),
                    stack.version(ComposeStack.VERSIONS)));
            ended = System.currentTimeMillis() * 1_000_000;
            Thread.sleep(500); // the stream's last events
            at = events.firsts();
        }

        assertThat(result.outcome()).as(result.summary()).isEqualTo(RolloutResult.Outcome.DEPLOYED);
        List<String> fresh = stack.compose("ps", "--format", "{{.Name}}", "worker").lines().sorted().toList();
        assertThat(fresh).hasSize(2).doesNotContainAnyElementsOf(old);
        assertThat(at.keySet()).as("containers the rollout started").noneMatch(key -> key.contains("-worker-probe-"));
        for (int i = 0; i < 2; i++) {
            assertThat(at.get(old.get(i) + " die")).as("%s stops once %s is healthy", old.get(i), fresh.get(i))
                    .isGreaterThan(at.get(fresh.get(i) + " health_status: healthy"));
            assertThat(at.get(old.get(i) + " destroy")).as("%s is removed at the end", old.get(i))
                    .isGreaterThan(at.get(fresh.get(1) + " health_status: healthy"));
        }
        // The new image served on every replica once the second replacement took over, before its old one stopped.
        long served = ended - result.tail().toNanos();
        assertThat(served).as("serving on every replica (the rollout's end less its tail)")
                .isGreaterThan(at.get(fresh.get(1) + " health_status: healthy"))
                .isLessThan(at.get(old.get(1) + " die"));
        // One at a time: the second starts once the first took over (the first old one may still be stopping then).
        assertThat(at.get(fresh.get(1) + " start")).as("the second replacement starts after the first is healthy")
                .isGreaterThan(at.get(fresh.get(0) + " health_status: healthy"));
    }

    /**
     * Requests that take 800 ms are in flight to the old replica, an app that exits at once on SIGTERM, when its
     * replacement turns healthy: nginx's old workers finish them before the replica is stopped, so none fails. Stopped
     * directly, such an app drops a request in flight (examples/hello-django's HelloDjangoIT shows it). Compose only: the
     * swarm engine leaves requests in flight to Swarm's own grace period before the stop signal.
     */
    @Test
    void slowRequestsInFlightToAnAppThatExitsAtOnceAreFinishedBeforeItStops() throws Exception {
        ImageRef from = stack.nextVersionThatExitsOnSigterm();
        RolloutResult onto = engine.roll(request(from));
        assertThat(onto.outcome()).as(onto.summary()).isEqualTo(RolloutResult.Outcome.DEPLOYED);
        String old = stack.compose("ps", "--format", "{{.Name}}", "app").strip();
        long epochMinusNano = System.currentTimeMillis() * 1_000_000 - System.nanoTime();
        RolloutResult result;
        Map<String, Long> at;
        Load slow = Load.get(stack.url(), "/api/slow?ms=800", 2);
        Load fast = Load.start(stack.url(), 4, 2);
        try (DockerEvents events = DockerEvents.start()) {
            Thread.sleep(1000);
            result = engine.roll(request(stack.nextVersionThatExitsOnSigterm()));
            Thread.sleep(1000);
            at = events.firsts();
        } finally {
            slow.close();
            fast.close();
        }

        System.out.printf("slow requests while an app that exits at once is replaced: %s; others: %s%n  %s%n",
                Load.figures(slow.samples()), Load.figures(fast.samples()), result.summary());
        assertThat(result.outcome()).as(result.summary()).isEqualTo(RolloutResult.Outcome.DEPLOYED);
        assertThat(Stream.concat(slow.samples().stream(), fast.samples().stream()).filter(Load.Sample::failed)
                .map(Load.Sample::error).limit(5)).as(() -> "failed requests; the proxy's errors:\n" + stack.proxyErrors())
                .isEmpty();
        String fresh = stack.compose("ps", "--format", "{{.Name}}", "app").strip();
        long healthy = at.get(fresh + " health_status: healthy");
        long stopped = at.get(old + " die");
        List<Load.Sample> toOld = slow.samples().stream().filter(s -> s.version().equals(stack.versionOf(from))).toList();
        assertThat(toOld).as("slow requests to the old replica in flight when its replacement turned healthy")
                .anyMatch(s -> s.start() + epochMinusNano < healthy && s.end() + epochMinusNano > healthy);
        assertThat(toOld).as("slow requests to the old replica, all answered before it stopped")
                .allMatch(s -> s.end() + epochMinusNano < stopped);
    }

    @Test
    void aReplicaThatFailsRollsBackTheReplicasAlreadyReplaced() {
        List<String> old = stack.compose("ps", "--format", "{{.Name}}", "worker").lines().sorted().toList();
        ServiceState before = engine.services(stack.environment()).stream()
                .filter(state -> state.service().name().equals("worker")).findFirst().orElseThrow();

        RolloutResult result = engine.roll(new DeployRequest(stack.environment(), ServiceName.of("worker"),
                stack.secondContainerExits()));

        assertThat(result.outcome()).as(result.summary()).isEqualTo(RolloutResult.Outcome.ROLLED_BACK);
        assertThat(result.reason()).startsWith("replica 2 of 2: container exited with code 3")
                .contains("this image fails on its second container");
        assertThat(stack.compose("ps", "--format", "{{.Name}}", "worker").lines().sorted().toList())
                .as("the old replicas, running again").isEqualTo(old);
        ServiceState after = engine.services(stack.environment()).stream()
                .filter(state -> state.service().name().equals("worker")).findFirst().orElseThrow();
        assertThat(after.image()).isEqualTo(before.image());
        assertThat(after.replicas()).isEqualTo(2);
        assertThat(after.health()).isEqualTo(ServiceState.Health.HEALTHY);
        assertThat(Command.docker("ps", "-aq", "--filter", "ancestor=" + stack.secondContainerExits()))
                .as("containers of the failed image").isEmpty();
    }

    /** A failed container's reason quotes its last log lines, but never the content of its secret files. */
    @Test
    void aReasonNeverQuotesTheContentOfASecretFile() {
        RolloutResult result = engine.roll(request(stack.printsItsSecretAndExits()));

        assertThat(result.outcome()).as(result.summary()).isEqualTo(RolloutResult.Outcome.ROLLED_BACK);
        assertThat(result.reason()).startsWith("container exited with code 4").contains("settings: SECRET_KEY=" + EnvSecrets.MASK)
                .doesNotContain(stack.secretKey());
    }

    /**
     * A replica whose processes die (as in an OOM kill) is started again by its restart policy: the service's restarts
     * count it, which the deploy service exports for the ServiceRestarted alert.
     */
    @Test
    void aContainerRestartedByItsPolicyCountsAsARestart() {
        long before = state().restarts();
        String app = stack.compose("ps", "-q", "app").strip();

        // tini is PID 1: every other process of the app's user gets SIGKILL, tini exits, Docker starts it again.
        Command.run(Duration.ofSeconds(30), Map.of(), List.of("docker", "exec", app, "sh", "-c", "kill -9 -1"));

        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            ServiceState after = state();
            assertThat(after.restarts()).isEqualTo(before + 1);
            assertThat(after.health()).isEqualTo(ServiceState.Health.HEALTHY);
        });
        assertThat(stack.compose("ps", "-q", "app").strip()).as("the same container, started again").isEqualTo(app);
    }

    private static String bindAt(JsonNode container, String destination) {
        for (JsonNode mount : container.path("Mounts")) {
            if (destination.equals(mount.path("Destination").asString()) && "bind".equals(mount.path("Type").asString())) {
                return mount.path("Source").asString();
            }
        }
        throw new AssertionError("nothing bound at " + destination);
    }

    private static JsonNode inspect(String container) {
        return JsonMapper.shared().readTree(String.join("\n", Command.docker("inspect", container))).get(0);
    }

    private static String name(JsonNode container) {
        return container.path("Name").asString().substring(1);
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asString()));
        return values;
    }

    private static Map<String, String> labels(JsonNode container) {
        Map<String, String> labels = new HashMap<>();
        container.path("Config").path("Labels").forEachEntry((key, value) -> labels.put(key, value.asString()));
        return labels;
    }

    private static String volumeAt(JsonNode container, String destination) {
        for (JsonNode mount : container.path("Mounts")) {
            if (destination.equals(mount.path("Destination").asString())) {
                return mount.path("Name").asString();
            }
        }
        throw new AssertionError("nothing mounted at " + destination);
    }

    private static int visits() throws Exception {
        Matcher visits = Pattern.compile("\"visits\":\\s*(\\d+)").matcher(get("/api/stats"));
        assertThat(visits.find()).isTrue();
        return Integer.parseInt(visits.group(1));
    }

    private static String get(String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(stack.url() + path)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return response.body();
    }
}
