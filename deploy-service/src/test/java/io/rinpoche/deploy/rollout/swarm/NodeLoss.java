package io.rinpoche.deploy.rollout.swarm;

import io.rinpoche.deploy.rollout.Load;
import io.rinpoche.testing.Command;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A worker of the run's {@link SwarmCluster} lost under load, and given back: {@link #kill} SIGKILLs the
 * docker-in-docker container of a worker that runs a replica of the stack's app, as a pulled plug would, while
 * {@code load} runs through nginx, and waits until the app has its replicas running (healthy: Swarm counts a task with
 * a health check as running only once it passes) on the nodes that are left; {@link #restore} starts the container
 * again and waits until the node is back in the swarm, so that the cluster is whole for the next test.
 */
final class NodeLoss {

    /**
     * What the loss cost: the requests in flight as the node died (started before Docker saw its container stopped,
     * {@code dead} seconds after the kill), those started while the app was short of a replica, and those after; seconds
     * from the kill until the manager marked the node down and until the app ran all its replicas again.
     */
    record Figures(String worker, long killedAt, double dead, List<Load.Sample> inFlight, List<Load.Sample> converging,
                   List<Load.Sample> after, double nodeDown, double reconverged) {

        static long failed(List<Load.Sample> samples) {
            return samples.stream().filter(Load.Sample::failed).count();
        }

        /** Each failed request: when it started and ended relative to the kill, and its error. */
        String failures() {
            return java.util.stream.Stream.of(inFlight, converging, after).flatMap(List::stream).filter(Load.Sample::failed)
                    .map(sample -> String.format("%+.2f s..%+.2f s %s", (sample.start() - killedAt) / 1e9,
                            (sample.end() - killedAt) / 1e9, sample.error())).toList().toString();
        }

        @Override
        public String toString() {
            return String.format("%s killed: stopped after %.2f s, marked down after %.1f s, app's 3 replicas running"
                            + " healthy again after %.1f s; failed requests: %d of %d in flight as it died (%d POST), %d of"
                            + " %d started until the app reconverged, %d of %d after", worker, dead, nodeDown, reconverged,
                    failed(inFlight), inFlight.size(), Load.failedPosts(inFlight), failed(converging), converging.size(),
                    failed(after), after.size());
        }
    }

    private static final int REPLICAS = 3;

    private final SwarmStack stack;
    private String killed;

    NodeLoss(SwarmStack stack) {
        this.stack = stack;
    }

    /** Kills a worker that runs an app replica while {@code load} runs; returns once the app reconverged, plus 5 s. */
    Figures kill(Load load) throws InterruptedException {
        SwarmCluster cluster = stack.cluster();
        List<String> running = tasks();
        String hostname = cluster.workers().stream().map(this::hostname).filter(worker -> running.stream()
                        .anyMatch(task -> task.startsWith(worker + " "))).findFirst()
                .orElseThrow(() -> new IllegalStateException("no worker runs an app replica: " + running));
        killed = cluster.run + "-" + hostname;
        long killing = System.nanoTime();
        Command.docker("kill", killed);
        // Its processes die, and its network goes, a moment after the signal: a request sent meanwhile was in flight.
        Command.docker("wait", killed);
        long dead = System.nanoTime();
        long down = 0;
        long deadline = killing + Duration.ofMinutes(3).toNanos();
        while (true) {
            if (down == 0 && stack.manager("docker", "node", "inspect", "-f", "{{.Status.State}}", hostname).strip()
                    .equals("down")) {
                down = System.nanoTime();
            }
            List<String> now = tasks();
            if (now.size() == REPLICAS && now.stream().allMatch(task -> !task.startsWith(hostname + " ")
                    && task.contains(" Running "))) {
                break;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the app did not run " + REPLICAS + " replicas again within 3 minutes of"
                        + " the loss of " + hostname + ": " + now);
            }
            Thread.sleep(250);
        }
        long reconverged = System.nanoTime();
        Thread.sleep(5000);
        long end = System.nanoTime();
        return new Figures(hostname, killing, (dead - killing) / 1e9, load.startedBetween(0, dead),
                load.startedBetween(dead, reconverged),
                load.startedBetween(reconverged, end), down == 0 ? Double.NaN : (down - killing) / 1e9,
                (reconverged - killing) / 1e9);
    }

    /** Starts the killed worker again; returns the seconds until the manager saw it ready. */
    double restore() throws InterruptedException {
        if (killed == null) {
            return 0;
        }
        long starting = System.nanoTime();
        Command.docker("start", killed);
        String hostname = killed.substring(stack.cluster().run.length() + 1);
        long deadline = starting + Duration.ofMinutes(2).toNanos();
        while (!stack.manager("docker", "node", "inspect", "-f", "{{.Status.State}}", hostname).strip().equals("ready")) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("worker " + hostname + " not back within 2 minutes: "
                        + Command.run(Duration.ofSeconds(10), Map.of(), List.of("docker", "logs", "--tail", "20", killed))
                        .output());
            }
            Thread.sleep(250);
        }
        killed = null;
        return (System.nanoTime() - starting) / 1e9;
    }

    // "<node> <state> ..." of each app task meant to run.
    private List<String> tasks() {
        return stack.manager("docker", "service", "ps", "--filter", "desired-state=running", "--format",
                "{{.Node}} {{.CurrentState}}", stack.stackName() + "_app").lines().filter(line -> !line.isBlank()).toList();
    }

    private String hostname(String worker) {
        return worker.substring(stack.cluster().run.length() + 1);
    }
}
