package io.rinpoche.deploy.rollout.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rinpoche.deploy.rollout.Load;
import io.rinpoche.deploy.state.Git;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Faults of the engine and the registry, on a Docker engine of the test's own ({@link DindEngine}) driven by the
 * packaged deploy service, which takes the registry's hooks for its app:
 * <ol>
 *   <li>the registry stopped while the engine pulls the hook's image (a 200 MB layer, the registry held to 5% of a
 *       CPU), and started again 3 s later: the deploy lands, through the rollout's retries when the pull failed
 *       (Docker's own download retries bridge a short outage in the middle of a layer); every hook sent meanwhile is
 *       acknowledged (202), and the old version serves every request until the new one takes over;</li>
 *   <li>dockerd restarted (SIGTERM, which stops every container, then started again) while the new replica runs
 *       beside the old one: the deploy lands once the engine answers again, and the environment converges, one
 *       app container on the new version, nginx serving it, no probe or replica left over;</li>
 *   <li>a flood of hooks while rollouts run ({@code -Dflood.rate}, default 200 a second, for {@code -Dflood.seconds},
 *       default 5; the issue's 1000 a second for 60 s is {@code -Dflood.rate=1000 -Dflood.seconds=60}): redeliveries of
 *       an event already taken and two new events (v4 then v5) with their redeliveries. Every request is answered 202,
 *       the state repository grows by the two events' commits only, and the service's memory (it runs with the
 *       image's JVM options) is printed before and after.</li>
 * </ol>
 * Each prints its figures.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EngineFaultsIT {

    private static DindEngine engine;
    private static DeployServiceProcess service;
    private static Path dir;
    private static String v3;

    @BeforeAll
    static void start() throws Exception {
        engine = DindEngine.start();
        dir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "engine-faults-").toAbsolutePath();
        Git.run(dir, "init", "-q", "--bare", "--initial-branch=main", "remote.git");
        service = new DeployServiceProcess("it", engine.projectPrefix(), dir.resolve("state"), dir.resolve("remote.git"),
                dir.resolve("deploy-service.log"))
                .pullingFrom(engine.registry(), DindEngine.USER, engine.password())
                .withEnv(Map.of("DOCKER_HOST", engine.dockerHost(), "PROXY_UPSTREAMS", engine.upstreams(),
                        "JAVA_TOOL_OPTIONS", imageJvmOptions()))
                // Room for a dockerd that takes a while to stop its containers: 2, 4, 8, 16 and 32 s.
                .withArgs("--rinpoche.queue.retries=5")
                // Containers a restarted engine brings back all boot at once, on a machine that may be busy.
                .withHealthTimeout(Duration.ofSeconds(90));
        service.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (service != null) {
            service.close();
        }
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    @Order(1)
    void theRegistryStoppedDuringAPullThenStartedTheDeployLands() throws Exception {
        // Random bytes: a layer gzip cannot shrink, so that the pull takes a while.
        String digest = engine.push("v2", "RUN head -c 200000000 /dev/urandom >/tmp/ballast\n", "release-2");
        String since = now();
        List<Integer> statuses = new CopyOnWriteArrayList<>();
        AtomicLong stoppedAt = new AtomicLong();
        // A registry short of CPU serves the layer slowly, so that the pull is still running when it is stopped.
        engine.docker("update", "--cpus", "0.05", "registry");
        try (Load load = Load.start(engine.url(), 2)) {
            long hooked = System.nanoTime();
            statuses.add(service.hook("pull-1", engine.registry(), DindEngine.REPOSITORY, "release-2", digest).statusCode());
            // The pull's first request, the manifest by digest (the tag check asks for the tag): stop the registry then.
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() ->
                    engine.docker("logs", "--since", since, "registry").contains("manifests/" + digest));
            engine.docker("kill", "registry");
            stoppedAt.set(System.nanoTime());
            Instant killed = Instant.now();
            // The registry's own redeliveries meanwhile (a new event would supersede the retries): each acknowledged.
            for (int i = 0; i < 6; i++) {
                statuses.add(service.hook("pull-1", engine.registry(), DindEngine.REPOSITORY, "release-2", digest)
                        .statusCode());
                Thread.sleep(500);
            }
            engine.docker("update", "--cpus", "1", "registry");
            engine.docker("start", "registry");
            long restarted = System.nanoTime();

            awaitDeployed("pull-1", "v2", load);
            long serving = System.nanoTime();
            String log = service.logText();
            int retries = count(log, "failed (attempt ");
            // The engine logs a rollout's start once its image is pulled: after the kill, so the pull was running.
            Matcher pulled = Pattern.compile("(?m)^(\\S+) .*rollout [0-9a-f]{12}: it/app <- .*:release-2@").matcher(log);
            assertThat(pulled.find()).as("the rollout started").isTrue();
            Instant pullEnded = Instant.parse(pulled.group(1));
            System.out.printf("registry stopped during a pull: stopped %.1f s after the hook, started %.1f s later; "
                            + "the pull ended %.1f s after the kill, after %d retries of the rollout (0: Docker's own "
                            + "download retries bridged it); v2 served %.1f s after the hook; hooks answered %s; load: %s%n",
                    (stoppedAt.get() - hooked) / 1e9, (restarted - stoppedAt.get()) / 1e9,
                    Duration.between(killed, pullEnded).toMillis() / 1e3, retries, (serving - hooked) / 1e9, statuses,
                    Load.figures(load.samples()));
            assertThat(statuses).containsOnly(202);
            assertThat(pullEnded).as("the pull was still running when the registry stopped").isAfter(killed);
            assertThat(load.samples().stream().filter(Load.Sample::failed)).isEmpty();
        }
    }

    @Test
    @Order(2)
    void dockerdRestartedInTheMiddleOfARolloutTheEnvironmentConverges() throws Exception {
        String digest = engine.push("v3", "", "release-3");
        v3 = digest;
        try (Load load = Load.start(engine.url(), 2)) {
            long hooked = System.nanoTime();
            assertThat(service.hook("restart-1", engine.registry(), DindEngine.REPOSITORY, "release-3", digest)
                    .statusCode()).isEqualTo(202);
            // Half way: the new replica runs beside the old one.
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50)).until(() ->
                    app("status=running").size() == 2);
            List<String> halfWay = app();
            long restarting = System.nanoTime();
            engine.restartDockerd();
            long restarted = System.nanoTime();

            awaitDeployed("restart-1", "v3", load);
            long converged = System.nanoTime();
            List<String> after = engine.containers();
            System.out.printf("dockerd restarted mid-rollout: %.1f s after the hook, for %.1f s; converged on v3 %.1f s "
                            + "after it answered again; app containers half-way %s, after %s; every container after: "
                            + "%s; load: %s%n", (restarting - hooked) / 1e9, (restarted - restarting) / 1e9,
                    (converged - restarted) / 1e9, halfWay, app(), after, Load.figures(load.samples()));
            assertThat(after).as("nginx, the registry and one app container, all running").hasSize(3)
                    .allMatch(line -> line.endsWith(" running"));
        }
    }

    @Test
    @Order(3)
    void aFloodOfHooksWhileRolloutsRunKeepsMemoryBoundedAndRedeliveriesAddNoCommit() throws Exception {
        int rate = Integer.getInteger("flood.rate", 200);
        Duration duration = Duration.ofSeconds(Integer.getInteger("flood.seconds", 5));
        String v4 = engine.push("v4", "", "release-4");
        String v5 = engine.push("v5", "", "release-5");
        int total = (int) (rate * duration.toSeconds());
        // Redeliveries of the last test's event, then a new event (v4) and its redeliveries, then another (v5) and its.
        IntFunction<HttpRequest> nth = i -> i < total / 4
                ? service.hookRequest("restart-1", engine.registry(), DindEngine.REPOSITORY, "release-3", v3)
                : i < total * 3 / 4
                ? service.hookRequest("flood-4", engine.registry(), DindEngine.REPOSITORY, "release-4", v4)
                : service.hookRequest("flood-5", engine.registry(), DindEngine.REPOSITORY, "release-5", v5);
        int commitsBefore = commits();
        long rssBefore = rss("VmRSS");
        HookFlood.Figures flood;
        try (Load load = Load.start(engine.url(), 2)) {
            flood = HookFlood.run(rate, duration, nth);
            long rssAfterFlood = rss("VmRSS");
            awaitDeployed("flood-5", "v5", load);
            System.out.printf("hook flood while rollouts run: %s; RSS of the service %d MiB before, %d MiB right after "
                            + "the flood, %d MiB once v5 served (peak %d MiB); state repository +%d commits for 2 new "
                            + "events and %d redeliveries; load: %s%n", flood, rssBefore >> 10, rssAfterFlood >> 10,
                    rss("VmRSS") >> 10, rss("VmHWM") >> 10, commits() - commitsBefore, total - flood.unsent() - 2,
                    Load.figures(load.samples()));
        }
        assertThat(flood.statuses().keySet()).as("no 5xx, no unanswered request").containsOnly(202);
        // An intent and an outcome for each new event; v4's may be superseded by v5 before it runs (one commit less).
        assertThat(commits() - commitsBefore).isBetween(3, 4);
    }

    // The JVM options the image runs the service with, so that its memory is the image's.
    private static String imageJvmOptions() throws java.io.IOException {
        java.util.regex.Matcher options = java.util.regex.Pattern.compile("JAVA_TOOL_OPTIONS=\"([^\"]+)\"")
                .matcher(Files.readString(Path.of("Dockerfile")));
        assertThat(options.find()).as("JAVA_TOOL_OPTIONS in deploy-service/Dockerfile").isTrue();
        return options.group(1);
    }

    private static int commits() {
        return Integer.parseInt(Git.run(dir.resolve("state"), "rev-list", "--count", "main").strip());
    }

    // A figure of /proc/<pid>/status of the service, in KiB.
    private static long rss(String field) throws java.io.IOException {
        return Files.readAllLines(Path.of("/proc", String.valueOf(service.pid()), "status")).stream()
                .filter(line -> line.startsWith(field + ":")).map(line -> line.replaceAll("\\D", ""))
                .mapToLong(Long::parseLong).findFirst().orElseThrow();
    }

    // The hook's deploy is recorded as deployed, nginx serves `version` from the app's one container, and no probe or
    // replica of a rollout is left.
    private static void awaitDeployed(String eventId, String version, Load load) throws Exception {
        try {
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                HttpResponse<String> deployments = service.get("/api/deployments?size=1");
                assertThat(deployments.body()).contains("\"eventId\":\"" + eventId + "\"")
                        .contains("\"outcome\":\"deployed\"");
                assertThat(app()).hasSize(1).allMatch(line -> line.endsWith(" running"));
                assertThat(probes()).isEmpty();
            });
        } catch (AssertionError | RuntimeException e) {
            System.out.println("not converged; the inner engine's containers: " + engine.containers() + "\n"
                    + engine.diagnosis());
            throw e;
        }
        long since = System.nanoTime();
        load.awaitAnswersSince(since, 10);
        assertThat(load.startedBetween(since, System.nanoTime())).extracting(Load.Sample::version).containsOnly(version);
    }

    private static List<String> app(String... filters) {
        String[] all = new String[filters.length + 2];
        all[0] = "label=com.docker.compose.project=" + engine.project();
        all[1] = "label=com.docker.compose.service=app";
        System.arraycopy(filters, 0, all, 2, filters.length);
        return engine.containers(all);
    }

    private static List<String> probes() {
        return engine.containers("label=" + RolloutLabels.PROJECT + "=" + engine.project(), "label=io.rinpoche.rollout.role=probe");
    }

    private static int count(String text, String part) {
        AtomicInteger n = new AtomicInteger();
        text.lines().filter(line -> line.contains(part)).forEach(line -> n.incrementAndGet());
        return n.get();
    }

    private static String now() {
        return String.valueOf(java.time.Instant.now().getEpochSecond() - 1);
    }
}
