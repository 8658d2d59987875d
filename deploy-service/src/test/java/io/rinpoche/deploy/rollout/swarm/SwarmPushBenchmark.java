package io.rinpoche.deploy.rollout.swarm;

import io.rinpoche.deploy.model.ImageRef;
import io.rinpoche.deploy.rollout.Load;
import io.rinpoche.deploy.rollout.compose.DeployServiceProcess;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.ToDoubleFunction;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Push-to-serving on the integration tests' cluster and stack ({@link SwarmStack}: 3 replicas of app over 3
 * docker-in-docker nodes, nginx on the manager), with the packaged deploy service ({@code target/deploy-service.jar},
 * {@code RINPOCHE_ENGINE=swarm}) managing it as in {@link SwarmClusterIT}'s crash case and, as on the platform,
 * telling nginx where to route ({@code PROXY_UPSTREAMS}), under a steady load through
 * nginx (half the clients POST). Each round is a release as the platform gets one: {@code docker push} of a new
 * version of the app (a new 1 MiB layer on v1) from the host to the cluster's registry, then the registry's hook (the
 * CNCF distribution notification the platform's registry sends, with the pushed manifest's digest) to
 * {@code POST /hooks/registry} with the hook token; one rule deploys {@code <run>/app:push-*} to the app. Per round:
 * the push, the hook's 202 after it, the rollout's start and duration as the history records them, and from the
 * push's end (and from the 202) the first answer through nginx from the new version, the last answer from an old one
 * (from then on every answer is the new version's) and when Swarm ran the third new task (healthy); the requests that
 * failed; per slot when the new task was created and ran and when the old one stopped, from the push's end. Then
 * p50, min and max of each. From the repository root, after {@code mvn -B -q -o install -pl test-support
 * -DskipTests} and {@code mvn -B -q -o package -pl deploy-service -DskipTests} (the jar):
 *
 * <pre>cd deploy-service &amp;&amp; mvn -B -q -o test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.rinpoche.deploy.rollout.swarm.SwarmPushBenchmark -Dexec.args="5 8"</pre>
 *
 * <p>Arguments: rounds (5), load clients (8), {@code dns} to leave the routing to nginx's DNS lookups (no
 * {@code PROXY_UPSTREAMS}). The registry's own notification is not used: the cluster's registry is
 * started, for every swarm test, before any deploy service listens, and its hook would carry the same payload.
 */
public final class SwarmPushBenchmark {

    private static final String TAGS = "push-*";
    private static final int LAYER_BYTES = 512 * 1024; // as hex: a 1 MiB file
    private static final Duration ROLLOUT_TIMEOUT = Duration.ofMinutes(5);

    /**
     * One round, seconds: the push; from its end to the 202; from the 202 to the rollout's start and the rollout's own
     * duration (history); from the push's end to the first new answer, the last old answer and the third new task
     * running; the history's outcome and the requests started during the round.
     */
    record Round(String tag, Instant pushedAt, double push, double accepted, double queued, double rollout, double firstNew,
                 double onlyNew, double allTasks, String outcome, List<Load.Sample> samples) {

        @Override
        public String toString() {
            return String.format("%s: push %.2f s, 202 %.2f s after it; rollout %s, started %+.2f s after the 202, took"
                            + " %.1f s; after the push: first new answer %.1f s, only new answers %.1f s (%.1f s after the"
                            + " 202), 3 tasks running it %.1f s; load: %s", tag, push, accepted, outcome, queued, rollout,
                    firstNew, onlyNew, onlyNew - accepted, allTasks, Load.figures(samples));
        }
    }

    private SwarmPushBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        boolean told = args.length < 3 || !args[2].equals("dns");
        if (!Files.isRegularFile(Path.of("target", "deploy-service.jar"))) {
            throw new IllegalStateException("no target/deploy-service.jar here: run from deploy-service/, after"
                    + " mvn -B -q -o package -pl deploy-service -DskipTests");
        }
        SwarmStack stack = SwarmStack.get();
        List<String> images = new ArrayList<>();
        for (int i = 1; i <= rounds; i++) {
            images.add(release(stack, "push-" + i));
        }
        Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "swarm-push-").toAbsolutePath();
        System.out.printf("%d pushes to %s, %d clients (half POST), nginx %s, %d cores, load average %s%n", rounds,
                stack.repository(), clients, told ? "told where to route" : "resolving per request (dns)",
                Runtime.getRuntime().availableProcessors(), loadAverage());
        List<Round> done = new ArrayList<>();
        try (DeployServiceProcess service = stack.deployService(dir, Duration.ofSeconds(60))
                .deployingPushes(stack.repository(), TAGS)
                .withEnv(told ? Map.of("PROXY_UPSTREAMS", stack.upstreams()) : Map.of());
             Load load = Load.start(stack.url(), clients, clients / 2)) {
            service.start();
            HttpResponse<String> seeded = service.post("/api/pins/seed", String.format(
                    "{\"environment\":\"it\",\"service\":\"app\",\"image\":\"%s\"}", stack.appImage()));
            if (seeded.statusCode() != 200) {
                throw new IllegalStateException("seeding the pin: " + seeded.statusCode() + " " + seeded.body());
            }
            Thread.sleep(2000);
            for (int i = 1; i <= rounds; i++) {
                Round round = round(stack, service, load, images.get(i - 1), "push-" + i);
                done.add(round);
                System.out.printf("  %s%n%s", round, SwarmRolloutBenchmark.timeline(stack, round.pushedAt()));
                Thread.sleep(2000);
            }
            load.close();
            System.out.printf("load over all rounds: %s; load average %s; the service's log: %s%n",
                    Load.figures(load.samples()), loadAverage(), dir.resolve("deploy-service.log"));
        }
        summary(done);
        System.exit(0);
    }

    // A version of the app with a layer of its own, built (not timed) on the host as <run>/app:<tag>.
    private static String release(SwarmStack stack, String tag) throws Exception {
        byte[] bytes = new byte[LAYER_BYTES];
        new SecureRandom().nextBytes(bytes);
        return stack.buildImage(tag, "FROM " + stack.cluster().run + "/app:v1\nENV APP_VERSION=" + tag
                        + "\nLABEL io.example.version=" + tag + "\nCOPY release /release\n",
                Map.of("release", HexFormat.of().formatHex(bytes)));
    }

    private static Round round(SwarmStack stack, DeployServiceProcess service, Load load, String image, String tag)
            throws Exception {
        SwarmCluster cluster = stack.cluster();
        String repositoryAndTag = stack.repository() + ":" + tag;
        long pushing = System.nanoTime();
        ImageRef pushed = ImageRef.parse(cluster.push(image, repositoryAndTag));
        long pushedNanos = System.nanoTime();
        Instant pushedAt = Instant.now();
        String eventId = "bench-" + tag;
        HttpResponse<String> hook = service.hook(eventId, cluster.hostRegistry(), stack.repository(), tag,
                cluster.digest(repositoryAndTag));
        long acceptedNanos = System.nanoTime();
        Instant acceptedAt = Instant.now();
        if (hook.statusCode() != 202 || !hook.body().contains("\"planned\"")) {
            throw new IllegalStateException("the hook of " + tag + " was not planned: " + hook.statusCode() + " "
                    + hook.body());
        }
        JsonNode entry = outcome(service, eventId);
        load.awaitAnswersSince(System.nanoTime(), 50);
        List<Load.Sample> samples = load.startedBetween(pushing, System.nanoTime());
        OptionalLong firstNew = samples.stream().filter(s -> tag.equals(s.version())).mapToLong(Load.Sample::end).min();
        OptionalLong lastOld = samples.stream().filter(s -> s.version() != null && !tag.equals(s.version()))
                .mapToLong(Load.Sample::end).max();
        String outcome = entry.path("outcome").asString()
                + (entry.has("reason") ? " (" + entry.path("reason").asString() + ")" : "");
        return new Round(tag, pushedAt, (pushedNanos - pushing) / 1e9, (acceptedNanos - pushedNanos) / 1e9,
                Duration.between(acceptedAt, Instant.parse(entry.path("started").asString())).toMillis() / 1000.0,
                entry.path("durationSeconds").asDouble(),
                firstNew.isPresent() ? (firstNew.getAsLong() - pushedNanos) / 1e9 : Double.NaN,
                lastOld.isPresent() ? Math.max(0, lastOld.getAsLong() - pushedNanos) / 1e9 : 0,
                tasksRunning(stack, pushed, pushedAt), outcome, samples);
    }

    // The history entry of the hook's rollout, once it has an outcome.
    private static JsonNode outcome(DeployServiceProcess service, String eventId) throws Exception {
        long deadline = System.nanoTime() + ROLLOUT_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            var entry = service.deployment(item -> item.path("trigger").path("eventId").asString().equals(eventId));
            if (entry.isPresent()) {
                return entry.get();
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("no outcome for hook " + eventId + " within " + ROLLOUT_TIMEOUT);
    }

    // Seconds from `since` until Swarm ran the last of the app's tasks on `image` (NaN unless all 3 run it).
    private static double tasksRunning(SwarmStack stack, ImageRef image, Instant since) {
        JsonNode tasks = JsonMapper.shared().readTree(stack.manager("sh", "-c", "docker inspect $(docker service ps -q"
                + " --filter desired-state=running " + stack.stackName() + "_app)"));
        List<Instant> running = new ArrayList<>();
        tasks.forEach(task -> {
            if (task.path("Spec").path("ContainerSpec").path("Image").asString().startsWith(image.pinned() + "@")
                    && task.path("Status").path("State").asString().equals("running")) {
                running.add(Instant.parse(task.path("Status").path("Timestamp").asString()));
            }
        });
        return running.size() < 3 ? Double.NaN
                : Duration.between(since, running.stream().max(Instant::compareTo).orElseThrow()).toMillis() / 1000.0;
    }

    private static void summary(List<Round> rounds) {
        List<Round> deployed = rounds.stream().filter(round -> round.outcome().startsWith("deployed")).toList();
        System.out.printf("%d of %d rounds deployed; p50 / min / max in seconds:%n", deployed.size(), rounds.size());
        line("docker push", deployed, Round::push);
        line("push's end -> hook's 202", deployed, Round::accepted);
        line("202 -> rollout's start (history)", deployed, Round::queued);
        line("rollout's duration (history)", deployed, Round::rollout);
        line("push's end -> first new answer", deployed, Round::firstNew);
        line("push's end -> only new answers", deployed, Round::onlyNew);
        line("202 -> only new answers", deployed, round -> round.onlyNew() - round.accepted());
        line("push's end -> 3 tasks running it", deployed, Round::allTasks);
        List<Load.Sample> samples = rounds.stream().flatMap(round -> round.samples().stream()).toList();
        System.out.printf("  requests during the rounds: %s%n", Load.figures(samples));
    }

    private static void line(String what, List<Round> rounds, ToDoubleFunction<Round> figure) {
        double[] sorted = rounds.stream().mapToDouble(figure).sorted().toArray();
        System.out.printf("  %-36s %6.2f / %6.2f / %6.2f%n", what, Load.percentile(sorted, 0.5),
                sorted.length == 0 ? Double.NaN : sorted[0], sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1]);
    }

    private static String loadAverage() throws Exception {
        String[] averages = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return averages[0] + " " + averages[1] + " " + averages[2];
    }
}
