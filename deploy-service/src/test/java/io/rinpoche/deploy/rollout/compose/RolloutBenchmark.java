package io.rinpoche.deploy.rollout.compose;

import io.rinpoche.deploy.model.DeployRequest;
import io.rinpoche.deploy.rollout.Load;
import io.rinpoche.deploy.rollout.RolloutResult;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Prints what the compose engine costs. Per rollout: its duration; the probe's and the new replica's own
 * time-to-healthy (from Docker's events: start to the first passing health check); the overhead above
 * the replica's time-to-healthy; how long the old replica took to stop; and what a steady load sent
 * through nginx meanwhile: failed requests and the slowest answer. Runs the integration tests' stack
 * (README.md says how):
 *
 * <pre>RolloutBenchmark [rollouts (10, at most 15)] [clients (8)] [nginx proxy_connect_timeout, e.g. 250ms]</pre>
 */
public final class RolloutBenchmark {

    private RolloutBenchmark() {
    }

    /** One measured rollout: wall-clock bounds in epoch ms, and the requests started meanwhile. */
    private record Row(RolloutResult result, long startMillis, long endMillis, List<Load.Sample> samples) {
    }

    public static void main(String[] args) throws Exception {
        int rollouts = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        String connectTimeout = args.length > 2 ? args[2] : null;
        if (rollouts < 1 || rollouts > ComposeStack.VERSIONS - 1) {
            throw new IllegalArgumentException("rollouts: 1 to " + (ComposeStack.VERSIONS - 1));
        }
        System.out.printf("setting up (images, compose project)%s...%n",
                connectTimeout == null ? "" : ", nginx proxy_connect_timeout " + connectTimeout);
        try (ComposeStack stack = ComposeStack.start(connectTimeout);
             ComposeRolloutEngine engine = new ComposeRolloutEngine(
                     ComposeEngineSettings.defaults().withProjectPrefix(stack.projectPrefix()), Clock.systemUTC());
             DockerEvents events = DockerEvents.start()) {
            List<Row> rows = new ArrayList<>();
            List<Load.Sample> all;
            try (Load load = Load.start(stack.url(), clients)) {
                Thread.sleep(2000);
                for (int i = 0; i < rollouts; i++) {
                    long startMillis = System.currentTimeMillis();
                    long startNanos = System.nanoTime();
                    RolloutResult result = engine.roll(new DeployRequest(stack.environment(), stack.service(),
                            stack.nextVersion()));
                    long endMillis = System.currentTimeMillis();
                    // The next rollout starts once 100 requests sent after this one returned have been answered.
                    load.awaitAnswersSince(System.nanoTime(), 100);
                    rows.add(new Row(result, startMillis, endMillis, load.startedBetween(startNanos, System.nanoTime())));
                    System.out.printf("  %s%n", result.summary());
                }
                all = load.samples();
            }
            Thread.sleep(500);
            print(rows, events.firsts(), stack.project() + "-app-1", clients, all, connectTimeout);
        }
    }

    private static void print(List<Row> rows, Map<String, Long> events, String firstReplica, int clients,
                              List<Load.Sample> all, String connectTimeout) {
        System.out.printf("%n%-3s %-9s %-8s %-10s %-12s %-11s %-9s %-7s %-9s%n", "#", "outcome", "total s",
                "probe ttH", "replica ttH", "overhead s", "old stop", "failed", "slowest s");
        double[] totals = new double[rows.size()];
        double[] overheads = new double[rows.size()];
        double[] healthy = new double[rows.size()];
        String previous = firstReplica; // each rollout stops the replica the one before it started
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            double total = row.result().duration().toMillis() / 1000.0;
            String probe = started(events, "-app-probe-[0-9a-f]+", row);
            String replica = started(events, "-app-[0-9]+", row);
            double replicaHealthy = seconds(events, replica + " start", replica + " health_status: healthy");
            String old = previous;
            previous = replica;
            totals[i] = total;
            healthy[i] = replicaHealthy;
            overheads[i] = total - replicaHealthy;
            System.out.printf("%-3d %-9s %-8.2f %-10.2f %-12.2f %-11.2f %-9.2f %-7d %-9.3f%n", i + 1,
                    row.result().outcome(), total,
                    seconds(events, probe + " start", probe + " health_status: healthy"), replicaHealthy,
                    total - replicaHealthy, seconds(events, replica + " health_status: healthy", old + " die"),
                    row.samples().stream().filter(Load.Sample::failed).count(),
                    row.samples().stream().mapToDouble(Load.Sample::seconds).max().orElse(0));
        }
        Arrays.sort(totals);
        Arrays.sort(overheads);
        Arrays.sort(healthy);
        System.out.printf("%nrollout p50 %.2f s, p95 %.2f s; replica time-to-healthy p50 %.2f s; overhead above it"
                        + " p50 %.2f s, p95 %.2f s%n", Load.percentile(totals, 0.5), Load.percentile(totals, 0.95),
                Load.percentile(healthy, 0.5), Load.percentile(overheads, 0.5), Load.percentile(overheads, 0.95));
        System.out.printf("load (%d clients through nginx%s): %s%n", clients,
                connectTimeout == null ? "" : ", proxy_connect_timeout " + connectTimeout, Load.figures(all));
        System.out.println("(overhead = total - replica ttH: the probe's own ttH, waiting out the proxy's DNS cache,"
                + " stopping the old replica, Docker calls)");
    }

    // The name of the container matching `pattern` that started during the row's rollout.
    private static String started(Map<String, Long> events, String pattern, Row row) {
        return events.entrySet().stream()
                .filter(e -> e.getKey().endsWith(" start"))
                .filter(e -> e.getValue() / 1_000_000 >= row.startMillis() && e.getValue() / 1_000_000 <= row.endMillis())
                .map(e -> e.getKey().substring(0, e.getKey().length() - " start".length()))
                .filter(name -> name.matches(".*" + pattern))
                .findFirst().orElse("?");
    }

    private static double seconds(Map<String, Long> events, String from, String to) {
        Long start = events.get(from);
        Long end = events.get(to);
        return start == null || end == null ? Double.NaN : (end - start) / 1e9;
    }
}
