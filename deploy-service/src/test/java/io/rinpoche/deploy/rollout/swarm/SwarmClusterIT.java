package io.rinpoche.deploy.rollout.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rinpoche.deploy.model.ImageRef;
import io.rinpoche.deploy.rollout.Load;
import io.rinpoche.deploy.rollout.compose.DeployServiceProcess;
import io.rinpoche.testing.RinpocheImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The cluster's faults, on the run's {@link SwarmCluster} and {@link SwarmStack} (those of {@link SwarmRolloutEngineIT}:
 * each test leaves the cluster whole, so the classes run in either order):
 * <ol>
 *   <li>a worker that runs an app replica killed (SIGKILL of its docker-in-docker container) under GET and POST load
 *       through nginx: the app runs 3 healthy replicas again on the nodes left, no request started once the node is dead
 *       fails (those in flight to it as it died may: they are counted), and rinpoche/redis on the node labelled {@code rinpoche.data=true} (the manager, as
 *       {@code ./platform swarm init} labels it) keeps its data; the worker is started again and rejoins;</li>
 *   <li>the packaged deploy service with {@code RINPOCHE_ENGINE=swarm} killed with SIGKILL while Swarm updates the app
 *       for its deploy: Swarm finishes the update on its own, and after its restart the service records the deploy's
 *       outcome (the reconcile loop finds the app on its pin), under GET and POST load.</li>
 * </ol>
 * Each prints its figures.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SwarmClusterIT {

    private static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(45);

    private static SwarmStack stack;
    private static SwarmCluster cluster;
    private static NodeLoss loss;

    @BeforeAll
    static void start() {
        stack = SwarmStack.get();
        cluster = stack.cluster();
        loss = new NodeLoss(stack);
    }

    @AfterAll
    static void restore() throws InterruptedException {
        if (loss != null) {
            loss.restore();
        }
    }

    @Test
    @Order(1)
    void aWorkerLostUnderLoadTheAppReconvergesAndTheDataNodeKeepsItsData() throws Exception {
        String data = cluster.run + "-data";
        String value = UUID.randomUUID().toString();
        try {
            String container = startRedisOnTheDataNode(data);
            assertThat(redis(container, "SET", "it:lost-node", value)).isEqualTo("OK");
            NodeLoss.Figures figures;
            try (Load load = Load.start(stack.url(), 8, 4)) {
                Thread.sleep(3000);
                figures = loss.kill(load);
                System.out.printf("lost node: %s; failed: %s%n%s", figures, figures.failures(), stack.proxyErrors());
            } finally {
                System.out.printf("lost node: the worker started again and ready %.1f s later%n", loss.restore());
            }
            // A request in flight to the node as it dies (sent, or its connection made, before) never gets an answer:
            // nginx waits proxy_read_timeout (60 s), the client gives up first, and a POST sent is never retried. Once
            // it is dead, a connect to its address times out within PROXY_CONNECT_TIMEOUT and nginx tries the next.
            assertThat(NodeLoss.Figures.failed(figures.converging())).as("requests started after the node died").isZero();
            assertThat(NodeLoss.Figures.failed(figures.after())).as("requests once the app reconverged").isZero();
            assertThat(figures.after()).as("the app answers after the loss").isNotEmpty();
            assertThat(dataContainer(data)).as("the data service's container, never restarted").isEqualTo(container);
            assertThat(redis(container, "GET", "it:lost-node")).isEqualTo(value);
        } finally {
            stack.manager("sh", "-c", "docker service rm " + data + "; docker secret rm " + data + "-password;"
                    + " for i in 1 2 3 4 5 6 7 8 9 10; do docker volume rm " + data + " 2>/dev/null && break; sleep 1; done;"
                    + " true");
        }
    }

    @Test
    @Order(2)
    void theDeployServiceKilledMidRolloutTheDeployLandsAndItsOutcomeIsRecorded() throws Exception {
        Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "swarm-crash-").toAbsolutePath();
        String app = stack.stackName() + "_app";
        String running = stack.appImage();
        ImageRef next = stack.nextVersion();
        String nextDigest = cluster.digest(stack.repository() + ":" + next.tag());
        String target = next.pinned() + "@" + nextDigest;
        try (DeployServiceProcess service = stack.deployService(dir, HEALTH_TIMEOUT);
             Load load = Load.start(stack.url(), 8, 4)) {
            service.start();
            assertThat(service.post("/api/pins/seed", json("environment", "it", "service", "app", "image", running))
                    .statusCode()).isEqualTo(200);
            long asked = System.nanoTime();
            String answer = service.post("/api/deployments", json("environment", "it", "service", "app", "image", target))
                    .body();
            String id = JsonMapper.shared().readTree(answer).path("id").asString();
            assertThat(id).as(answer).isNotEmpty();
            // Half way: Swarm is updating the app, one new task already running.
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).until(() ->
                    updateState(app).equals("updating") && stack.tasksRunning(next) >= 1);
            long killed = System.nanoTime();
            service.kill();
            int newAtKill = stack.tasksRunning(next);
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(250)).until(() ->
                    !updateState(app).equals("updating"));
            long swarmDone = System.nanoTime();
            String swarmState = updateState(app);
            service.start();
            long restarted = System.nanoTime();
            JsonNode outcome = await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                    .until(() -> service.deployment(item -> item.path("id").asString().equals(id)).orElse(null),
                            entry -> entry != null);
            long recorded = System.nanoTime();
            long since = System.nanoTime();
            load.awaitAnswersSince(since, 20);
            List<Load.Sample> afterwards = load.startedBetween(since, System.nanoTime());
            load.close();
            System.out.printf("deploy service killed mid-rollout: %.1f s after the deploy was asked for, %d of 3 new tasks"
                            + " running; Swarm's update %s %.1f s later; restarted in %.1f s; outcome %s (%s) recorded"
                            + " %.1f s after the restart; load: %s%n", (killed - asked) / 1e9, newAtKill, swarmState,
                    (swarmDone - killed) / 1e9, (restarted - swarmDone) / 1e9, outcome.path("outcome").asString(),
                    outcome.path("reason").asString(), (recorded - restarted) / 1e9, Load.figures(load.samples()));
            assertThat(outcome.path("outcome").asString()).isEqualTo("deployed");
            assertThat(outcome.path("to").path("digest").asString()).isEqualTo(nextDigest);
            assertThat(service.get("/api/pins/it").body()).contains("APP_IMAGE=" + target);
            assertThat(stack.tasksRunning(next)).isEqualTo(3);
            assertThat(afterwards).extracting(Load.Sample::version).containsOnly(stack.versionOf(next));
            assertThat(load.samples()).as("GETs (POSTs: see the swarm engine's margin in README.md)")
                    .filteredOn(sample -> sample.failed() && (sample.error() == null || !sample.error().startsWith("POST ")))
                    .isEmpty();
        }
    }

    // rinpoche/redis with its password as a swarm secret and its data in a volume, on the node labelled as the data
    // node; returns its container's id once it runs healthy.
    private static String startRedisOnTheDataNode(String name) throws InterruptedException {
        String image = cluster.push("rinpoche/redis:" + RinpocheImages.tag(), cluster.run + "/redis:" + RinpocheImages.tag());
        stack.manager("docker", "node", "update", "--label-add", "rinpoche.data=true", "manager");
        cluster.in(cluster.manager(), "redis-" + UUID.randomUUID(), "docker", "secret", "create", name + "-password", "-");
        stack.manager("docker", "service", "create", "--detach", "--quiet", "--with-registry-auth", "--name", name,
                "--constraint", "node.labels.rinpoche.data==true", "--secret", "source=" + name + "-password,target=redis",
                "--env", "REDIS_PASSWORD_FILE=/run/secrets/redis", "--mount", "type=volume,source=" + name + ",target=/data",
                image);
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (true) {
            String container = dataContainer(name);
            if (!container.isEmpty() && stack.manager("docker", "inspect", "-f", "{{.State.Health.Status}}", container)
                    .strip().equals("healthy")) {
                return container;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("redis not healthy on the data node within 2 minutes: "
                        + stack.manager("docker", "service", "ps", "--no-trunc", name));
            }
            Thread.sleep(500);
        }
    }

    private static String dataContainer(String service) {
        return stack.manager("docker", "ps", "-q", "--no-trunc", "--filter", "label=com.docker.swarm.service.name=" + service)
                .strip();
    }

    // redis-cli in the container, the password from the secret's file through the environment, never an argument.
    private static String redis(String container, String... command) {
        List<String> argv = new ArrayList<>(List.of("docker", "exec", container, "sh", "-c",
                "REDISCLI_AUTH=\"$(cat /run/secrets/redis)\" exec redis-cli \"$@\"", "redis-cli"));
        argv.addAll(List.of(command));
        return stack.manager(argv.toArray(String[]::new)).strip();
    }

    private static String updateState(String service) {
        return stack.manager("docker", "service", "inspect", "-f", "{{if .UpdateStatus}}{{.UpdateStatus.State}}{{end}}",
                service).strip();
    }

    private static String json(String... pairs) {
        StringBuilder json = new StringBuilder("{");
        for (int i = 0; i < pairs.length; i += 2) {
            json.append(i == 0 ? "" : ",").append('"').append(pairs[i]).append("\":\"").append(pairs[i + 1]).append('"');
        }
        return json.append('}').toString();
    }
}
