package io.rinpoche.deploy.rollout.swarm;

import java.util.HashMap;
import java.util.Map;
import io.rinpoche.deploy.rollout.EngineSettings;
import io.rinpoche.deploy.model.DeployRequest;
import io.rinpoche.deploy.model.ImageRef;
import io.rinpoche.deploy.rollout.Load;
import io.rinpoche.deploy.rollout.RolloutResult;
import io.rinpoche.deploy.rollout.registry.RegistryLogin;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Prints what the swarm engine costs, on the integration tests' cluster and stack (3 replicas of app over 3
 * docker-in-docker nodes, nginx on the manager, told where to route). Per rollout under a steady load (half the
 * clients POST): its duration, and per slot when
 * the new task was created, when it ran (healthy) and when the old task had stopped, relative to the rollout's
 * start; failed requests. Then a lost node ({@link NodeLoss}), as often as asked: a worker that runs an app replica
 * killed under GET and POST load (half the clients POST), the failed requests (in flight at the kill, until the app
 * runs its 3 replicas again, after) and the time until it does; the worker is started again each time. Then, with the
 * engine's deadline out of the way, how long Swarm alone takes to roll back an image whose health check never passes.
 * From the repository root:
 *
 * <pre>mvn -B -q -f deploy-service/pom.xml test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.rinpoche.deploy.rollout.swarm.SwarmRolloutBenchmark -Dexec.args="3 8 2000 3"</pre>
 *
 * <p>Arguments: rollouts (5), load clients (8), Swarm's monitor in ms (2000), lost nodes (1).
 */
public final class SwarmRolloutBenchmark {

    private SwarmRolloutBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rollouts = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        Duration monitor = Duration.ofMillis(args.length > 2 ? Long.parseLong(args[2]) : 2000);
        int losses = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        SwarmStack stack = SwarmStack.get();
        SwarmCluster cluster = stack.cluster();
        Map<String, String> settings = Map.of("docker-host", cluster.managerHost(), "stack-prefix", stack.stackPrefix(),
                "monitor", monitor.toMillis() + "ms", "proxy-upstreams", stack.upstreams());
        RegistryLogin login = new RegistryLogin(SwarmCluster.REGISTRY, SwarmCluster.REGISTRY_USER, cluster.registryPassword(),
                URI.create("http://" + cluster.hostRegistry()));
        System.out.printf("%d rollouts of 3 replicas, %d clients, monitor %d ms%n", rollouts, clients, monitor.toMillis());
        List<Double> durations = new ArrayList<>();
        try (SwarmRolloutEngine engine = new SwarmRolloutEngine(EngineSettings.bind(SwarmEngineSettings.class, settings), login,
                     Clock.systemUTC());
             Load load = Load.start(stack.url(), clients, clients / 2)) {
            Thread.sleep(2000);
            for (int i = 0; i < rollouts; i++) {
                Instant start = Instant.now();
                RolloutResult result = engine.roll(new DeployRequest(stack.environment(), stack.service(), stack.nextVersion()));
                durations.add(result.duration().toMillis() / 1000.0);
                System.out.printf("  %s%n%s", result.summary(), timeline(stack, start));
                load.awaitAnswersSince(System.nanoTime(), 100);
            }
            load.close();
            System.out.printf("rollout durations (s): %s; load: %s%n", durations, Load.figures(load.samples()));
        }
        lostNodes(stack, losses, clients);
        // Swarm alone: the engine's deadline longer than the image's start period.
        Map<String, String> patient = new HashMap<>(settings);
        patient.put("health-timeout", "5m");
        try (SwarmRolloutEngine engine = new SwarmRolloutEngine(EngineSettings.bind(SwarmEngineSettings.class, patient), login,
                Clock.systemUTC())) {
            ImageRef bad = stack.unhealthy();
            RolloutResult result = engine.roll(new DeployRequest(stack.environment(), stack.service(), bad));
            System.out.printf("Swarm alone on a never-healthy image (60 s start period): %s%n", result.summary());
        }
        System.exit(0);
    }

    // Each time a worker with an app replica killed under load, then started again.
    private static void lostNodes(SwarmStack stack, int losses, int clients) throws InterruptedException {
        NodeLoss loss = new NodeLoss(stack);
        for (int i = 0; i < losses; i++) {
            NodeLoss.Figures figures;
            double rejoined;
            try (Load load = Load.start(stack.url(), clients, clients / 2)) {
                Thread.sleep(3000);
                figures = loss.kill(load);
            } finally {
                rejoined = loss.restore();
            }
            System.out.printf("lost node %d of %d: %s; the worker started again and ready %.1f s later%n", i + 1,
                    losses, figures, rejoined);
        }
    }

    // Per slot: +created / +running of the new task and +stopped of the task it replaced, in seconds from start.
    static String timeline(SwarmStack stack, Instant start) {
        JsonNode tasks = JsonMapper.shared().readTree(stack.manager("sh", "-c", "docker inspect $(docker service ps -q "
                + stack.stackName() + "_app)"));
        StringBuilder text = new StringBuilder();
        List<JsonNode> recent = new ArrayList<>();
        tasks.forEach(task -> {
            if (Instant.parse(task.path("UpdatedAt").asString()).isAfter(start)) {
                recent.add(task);
            }
        });
        recent.sort(Comparator.comparing((JsonNode task) -> task.path("Slot").asInt())
                .thenComparing(task -> task.path("CreatedAt").asString()));
        for (JsonNode task : recent) {
            text.append(String.format("    slot %d %-8s created +%.1f s, %s +%.1f s%n", task.path("Slot").asInt(),
                    task.path("DesiredState").asString(), seconds(start, task.path("CreatedAt").asString()),
                    task.path("Status").path("State").asString(), seconds(start, task.path("Status").path("Timestamp").asString())));
        }
        return text.toString();
    }

    private static double seconds(Instant start, String at) {
        return Duration.between(start, Instant.parse(at)).toMillis() / 1000.0;
    }
}
