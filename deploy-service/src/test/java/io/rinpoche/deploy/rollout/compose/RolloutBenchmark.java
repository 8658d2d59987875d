package io.rinpoche.deploy.rollout.compose;

import io.rinpoche.deploy.rollout.EngineSettings;
import io.rinpoche.deploy.model.DeployRequest;
import io.rinpoche.deploy.model.ImageRef;
import io.rinpoche.deploy.rollout.Load;
import io.rinpoche.deploy.rollout.RolloutResult;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Prints what the compose engine costs, the engine before upstream files ({@link DnsTraffic}: a probe first, then DNS
 * waits) beside the engine that tells nginx ({@link NginxUpstreams}), in one run on one stack (the integration tests'),
 * each for an app that drains on SIGTERM and for one that exits at once (the example app's
 * {@code HELLO_EXIT_ON_SIGTERM=1}), under a steady load of GET and POST clients through nginx. Per rollout: the time
 * to replace the replica, the time until every request answers the new version (serving), the probe's and the new
 * replica's own time-to-healthy (from Docker's events: start to the first passing health check), the overheads of both
 * above the replica's time-to-healthy, failed GET and POST and the slowest answer. From the repository root:
 *
 * <pre>
 * mvn -B -q -f deploy-service/pom.xml test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.rinpoche.deploy.rollout.compose.RolloutBenchmark -Dexec.args="5 8"
 * </pre>
 *
 * Arguments: rollouts per engine and app (5; each phase starts with one more that is not counted, so that every
 * counted one replaces a replica of that app), load clients (8, half of them POST), {@code told} to run only the
 * engine that tells nginx, and {@code replicas=N} to scale app to N replicas first (1; the swarm engine's benchmark
 * rolls 3). With {@code -Dlogback.configurationFile=} a configuration that sets
 * {@code io.rinpoche.deploy.rollout.compose} to DEBUG, the log shows when each step of a replacement began.
 */
public final class RolloutBenchmark {

    private RolloutBenchmark() {
    }

    /** One measured rollout: wall-clock bounds in epoch ms, and the requests started meanwhile. */
    private record Row(RolloutResult result, long startMillis, long endMillis, long startNanos, String version,
                       List<Load.Sample> samples) {

        /**
         * Seconds from the rollout's start to the first request after which every request started answered
         * {@code version}: when users see only the new version (push-to-serving without the push and the hook).
         */
        double serving() {
            List<Load.Sample> byStart = samples.stream().sorted(Comparator.comparingLong(Load.Sample::start)).toList();
            int lastOther = -1;
            for (int i = 0; i < byStart.size(); i++) {
                if (!version.equals(byStart.get(i).version())) {
                    lastOther = i;
                }
            }
            return lastOther + 1 < byStart.size() ? (byStart.get(lastOther + 1).start() - startNanos) / 1e9 : Double.NaN;
        }
    }

    /** Which engine, and which app's old replicas it stops: two images of it to alternate between. */
    private record Phase(String engine, String app, ComposeRolloutEngine rollouts, List<ImageRef> images) {
    }

    public static void main(String[] args) throws Exception {
        int rollouts = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        boolean toldOnly = Arrays.asList(args).contains("told");
        int replicas = Arrays.stream(args).filter(arg -> arg.startsWith("replicas=")).findFirst()
                .map(arg -> Integer.parseInt(arg.substring("replicas=".length()))).orElse(1);
        System.out.println("setting up (images, compose project)...");
        try (ComposeStack stack = ComposeStack.start();
             ComposeRolloutEngine before = new ComposeRolloutEngine(EngineSettings.bind(ComposeEngineSettings.class, Map.of(
                     "project-prefix", stack.projectPrefix())), Clock.systemUTC());
             ComposeRolloutEngine pinned = new ComposeRolloutEngine(EngineSettings.bind(ComposeEngineSettings.class, Map.of(
                     "project-prefix", stack.projectPrefix(), "proxy-upstreams", stack.upstreams())), Clock.systemUTC());
             DockerEvents events = DockerEvents.start()) {
            if (replicas > 1) {
                stack.compose("up", "-d", "--wait", "--scale", "app=" + replicas);
            }
            List<ImageRef> graceful = List.of(stack.nextVersion(), stack.nextVersion());
            List<ImageRef> abrupt = List.of(stack.nextVersionThatExitsOnSigterm(), stack.nextVersionThatExitsOnSigterm());
            List<Phase> phases = List.of(new Phase("DNS, probe", "graceful", before, graceful),
                    new Phase("DNS, probe", "exits at once", before, abrupt),
                    new Phase("nginx told", "graceful", pinned, graceful),
                    new Phase("nginx told", "exits at once", pinned, abrupt));
            List<String> summaries = new ArrayList<>();
            try (Load load = Load.start(stack.url(), clients, clients / 2)) {
                Thread.sleep(2000);
                for (Phase phase : phases.stream().filter(p -> !toldOnly || p.engine().equals("nginx told")).toList()) {
                    System.out.printf("%n%s engine, app that %s:%n", phase.engine(),
                            phase.app().equals("graceful") ? "drains on SIGTERM" : "exits at once on SIGTERM");
                    roll(stack, phase, phase.images().get(0), load); // its old replica is the previous phase's app
                    List<Row> rows = new ArrayList<>();
                    for (int i = 0; i < rollouts; i++) {
                        rows.add(roll(stack, phase, phase.images().get((i + 1) % 2), load));
                    }
                    Thread.sleep(500);
                    summaries.add(print(rows, events.firsts(), phase));
                }
            }
            System.out.printf("%nside by side (%d rollouts each of %d replica(s), %d clients through nginx, %d of them POST):%n",
                    rollouts, replicas, clients, clients / 2);
            System.out.printf("%-10s %-14s %-12s %-12s %-10s %-14s %-14s %-14s %-11s %-11s%n", "engine", "old replica",
                    "replace p50", "replace p95", "ttH p50", "overhead p50", "overhead p95", "to serving p50",
                    "failed GET", "failed POST");
            summaries.forEach(System.out::println);
            System.out.println("(overhead = replace - replicas' ttH, added up over the replicas replaced one by one: the probe's own ttH, waiting out nginx's DNS cache or"
                    + " its reloads, stopping the old replica, Docker calls; to serving = the same from the rollout's start"
                    + " until every request answers the new version, i.e. push-to-serving's overhead without the push and"
                    + " the hook)");
        }
    }

    // One rollout onto `image`; the next starts once 100 requests sent after it returned have been answered.
    private static Row roll(ComposeStack stack, Phase phase, ImageRef image, Load load) throws InterruptedException {
        long startMillis = System.currentTimeMillis();
        long startNanos = System.nanoTime();
        RolloutResult result = phase.rollouts().roll(new DeployRequest(stack.environment(), stack.service(), image));
        long endMillis = System.currentTimeMillis();
        load.awaitAnswersSince(System.nanoTime(), 100);
        System.out.printf("  %s%n", result.summary());
        return new Row(result, startMillis, endMillis, startNanos, stack.versionOf(image),
                load.startedBetween(startNanos, System.nanoTime()));
    }

    private static String print(List<Row> rows, Map<String, Long> events, Phase phase) {
        System.out.printf("%-3s %-9s %-10s %-10s %-10s %-12s %-11s %-11s %-11s %-12s %-9s%n", "#", "outcome",
                "replace s", "serving s", "probe ttH", "replicas ttH", "overhead s", "to serving", "failed GET",
                "failed POST", "slowest s");
        double[] totals = new double[rows.size()];
        double[] overheads = new double[rows.size()];
        double[] toServing = new double[rows.size()];
        double[] healthy = new double[rows.size()];
        long failedGets = 0;
        long failedPosts = 0;
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            double total = row.result().duration().toMillis() / 1000.0;
            String probe = started(events, "-app-probe-[0-9a-f]+", row);
            double replicaHealthy = replicasHealthy(events, row);
            long posts = Load.failedPosts(row.samples());
            long gets = row.samples().stream().filter(Load.Sample::failed).count() - posts;
            failedGets += gets;
            failedPosts += posts;
            totals[i] = total;
            healthy[i] = replicaHealthy;
            overheads[i] = total - replicaHealthy;
            toServing[i] = row.serving() - replicaHealthy;
            System.out.printf("%-3d %-9s %-10.2f %-10.2f %-10.2f %-12.2f %-11.2f %-11.2f %-11d %-12d %-9.3f%n", i + 1,
                    row.result().outcome(), total, row.serving(),
                    seconds(events, probe + " start", probe + " health_status: healthy"), replicaHealthy,
                    total - replicaHealthy, toServing[i], gets, posts,
                    row.samples().stream().mapToDouble(Load.Sample::seconds).max().orElse(0));
        }
        Arrays.sort(totals);
        Arrays.sort(overheads);
        Arrays.sort(toServing);
        Arrays.sort(healthy);
        return String.format("%-10s %-14s %-12.2f %-12.2f %-10.2f %-14.2f %-14.2f %-14.2f %-11d %-11d", phase.engine(),
                phase.app(), Load.percentile(totals, 0.5), Load.percentile(totals, 0.95), Load.percentile(healthy, 0.5),
                Load.percentile(overheads, 0.5), Load.percentile(overheads, 0.95), Load.percentile(toServing, 0.5),
                failedGets, failedPosts);
    }

    // The name of the container matching `pattern` that started during the row's rollout.
    private static String started(Map<String, Long> events, String pattern, Row row) {
        return startedAll(events, pattern, row).stream().findFirst().orElse("?");
    }

    // The names of the containers matching `pattern` that started during the row's rollout.
    private static List<String> startedAll(Map<String, Long> events, String pattern, Row row) {
        return events.entrySet().stream()
                .filter(e -> e.getKey().endsWith(" start"))
                .filter(e -> e.getValue() / 1_000_000 >= row.startMillis() && e.getValue() / 1_000_000 <= row.endMillis())
                .map(e -> e.getKey().substring(0, e.getKey().length() - " start".length()))
                .filter(name -> name.matches(".*" + pattern))
                .toList();
    }

    // The replicas are replaced one at a time: their own times-to-healthy add up.
    private static double replicasHealthy(Map<String, Long> events, Row row) {
        return startedAll(events, "-app-[0-9]+", row).stream()
                .mapToDouble(replica -> seconds(events, replica + " start", replica + " health_status: healthy")).sum();
    }

    private static double seconds(Map<String, Long> events, String from, String to) {
        Long start = events.get(from);
        Long end = events.get(to);
        return start == null || end == null ? Double.NaN : (end - start) / 1e9;
    }
}
