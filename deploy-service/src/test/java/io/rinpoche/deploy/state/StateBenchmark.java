package io.rinpoche.deploy.state;

import io.rinpoche.deploy.bench.Percentiles;
import io.rinpoche.deploy.history.Deployment;
import io.rinpoche.deploy.history.Intent;
import io.rinpoche.deploy.history.Trigger;
import io.rinpoche.deploy.model.Environment;
import io.rinpoche.deploy.model.ServiceName;
import io.rinpoche.deploy.rollout.RolloutResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * What the git state costs, on this machine's disk, in a fresh repository:
 * <ol>
 *   <li>committing an intent (what a hook waits for before its 202), p50/p99, with 1 and 8 concurrent writers;</li>
 *   <li>the history at 10,000 commits: the first page, a page 100 pages back, the total, and finding a
 *       service's pending intent (what the reconcile loop does).</li>
 * </ol>
 * Run: {@code mvn -B -q -f deploy-service/pom.xml test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.rinpoche.deploy.state.StateBenchmark [-Dexec.args="10000"]}. The end-to-end figure (HTTP
 * hook to 202, the commit included) is HookIntakeBenchmark's, against a running platform.
 */
public final class StateBenchmark {

    private static final Environment STAGING = Environment.of("staging");

    private StateBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int commits = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        Path dir = Files.createTempDirectory("rinpoche-state-bench-");
        try (StateRepository state = StateRepository.open(dir.resolve("state"), null)) {
            GitDeploymentHistory history = new GitDeploymentHistory(state);
            intents(history, 1, 1000);
            intents(history, 8, 1000);
            fill(history, commits - 2001);
            queries(history, state, "loose objects");
            System.out.printf("packed (what the reconcile loop does when objects pile up) in %.0f ms%n",
                    millis(() -> {
                        state.maintain();
                        return null;
                    }));
            queries(history, state, "packed");
        }
        System.out.println("(repository left at " + dir + " for inspection with git; remove it when done)");
    }

    private static void intents(GitDeploymentHistory history, int writers, int count) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<Double>> timings = new ArrayList<>();
        long start = System.nanoTime();
        for (int n = 0; n < count; n++) {
            int number = n;
            timings.add(pool.submit(() -> millis(() -> {
                history.intend(intent("w" + writers + "-" + number, "svc" + (number % 16), number));
                return null;
            })));
        }
        double[] ms = new double[count];
        for (int i = 0; i < count; i++) {
            ms[i] = timings.get(i).get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        System.out.printf("intent commit, %d writer(s): %d commits in %.1f s (%.0f/s), latency p50 %.2f ms, p99 %.2f ms,"
                + " max %.2f ms%n", writers, count, seconds, count / seconds, Percentiles.ofUnsorted(ms, 50),
                Percentiles.ofUnsorted(ms, 99), Percentiles.ofUnsorted(ms, 100));
    }

    // Intent and outcome pairs until the repository holds about `commits` more commits.
    private static void fill(GitDeploymentHistory history, int commits) {
        long start = System.nanoTime();
        for (int n = 0; n < commits / 2; n++) {
            Intent intent = intent("f" + n, "svc" + (n % 16), 5000 + n);
            history.intend(intent);
            history.append(outcome(intent, n));
        }
        System.out.printf("filled with %d more commits in %.1f s%n", commits / 2 * 2, (System.nanoTime() - start) / 1e9);
    }

    private static void queries(GitDeploymentHistory history, StateRepository state, String storage) {
        String count = Git.run(state.repository().getDirectory().toPath(), "rev-list", "--count", "main").strip();
        System.out.println("history at " + count + " commits (" + history.page(0, 1).total() + " outcomes), " + storage + ":");
        report("first page of 20 (total counted once per tip)", () -> history.page(0, 20));
        report("page 100 of 20", () -> history.page(100, 20));
        report("pending intent of a service", () -> history.pending(STAGING, ServiceName.of("svc3")));
        report("pending intent of a never-deployed service (walks it all)", () -> history.pending(STAGING,
                ServiceName.of("never")));
    }

    private static void report(String what, Supplier<?> query) {
        double[] ms = new double[25];
        for (int i = 0; i < ms.length; i++) {
            ms[i] = millis(query);
        }
        System.out.printf("  %-58s first %.1f ms, then p50 %.1f ms, p99 %.1f ms%n", what, ms[0],
                Percentiles.ofUnsorted(java.util.Arrays.copyOfRange(ms, 1, ms.length), 50),
                Percentiles.ofUnsorted(java.util.Arrays.copyOfRange(ms, 1, ms.length), 99));
    }

    private static double millis(Supplier<?> work) {
        long start = System.nanoTime();
        work.get();
        return (System.nanoTime() - start) / 1e6;
    }

    private static Intent intent(String id, String service, int n) {
        return new Intent(id, STAGING, ServiceName.of(service), GitDeploymentHistoryTest.image(n),
                Trigger.hook("registry", "ev-" + id));
    }

    private static Deployment outcome(Intent intent, int n) {
        Deployment template = GitDeploymentHistoryTest.outcome(intent.id(), n + 1, RolloutResult.Outcome.DEPLOYED);
        return new Deployment(intent.id(), intent.environment(), intent.service(), intent.image(), template.from(),
                template.to(), intent.trigger(), template.outcome(), template.started(), template.duration(), "");
    }
}
