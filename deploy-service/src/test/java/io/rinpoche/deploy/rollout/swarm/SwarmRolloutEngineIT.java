package io.rinpoche.deploy.rollout.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import io.rinpoche.deploy.model.ImageRef;
import io.rinpoche.deploy.rollout.EngineSettings;
import io.rinpoche.deploy.rollout.Load;
import io.rinpoche.deploy.rollout.RolloutResult;
import io.rinpoche.deploy.rollout.RolloutEngine;
import io.rinpoche.deploy.rollout.RolloutEngineContract;
import io.rinpoche.deploy.rollout.RolloutStack;
import io.rinpoche.deploy.rollout.registry.RegistryLogin;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.BeforeAll;

/** The swarm engine on a real cluster (3 docker-in-docker nodes, {@link SwarmCluster}): the shared contract, and what swarm adds. */
class SwarmRolloutEngineIT extends RolloutEngineContract {

    /**
     * The engine's deadline for a new task to run healthy: what the never-healthy image costs. A good task on a busy
     * 2-core machine took more than 15 s (its database migration, gunicorn's boot, then a health check).
     */
    private static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(45);

    private static SwarmStack stack;
    private static SwarmRolloutEngine engine;
    private static SwarmEngineSettings settings;

    @BeforeAll
    static void start() {
        stack = SwarmStack.get();
        SwarmCluster cluster = stack.cluster();
        settings = EngineSettings.bind(SwarmEngineSettings.class, Map.of(
                "docker-host", cluster.managerHost(), "stack-prefix", stack.stackPrefix(),
                "health-timeout", HEALTH_TIMEOUT.toSeconds() + "s", "proxy-upstreams", stack.upstreams()));
        engine = new SwarmRolloutEngine(settings, new RegistryLogin(SwarmCluster.REGISTRY, SwarmCluster.REGISTRY_USER, cluster.registryPassword(),
                        URI.create("http://" + cluster.hostRegistry())),
                Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        if (engine != null) {
            engine.close();
        }
    }

    /** The stack's nginx runs on the manager with the engine's directory mounted: rollouts tell it where to route. */
    @Test
    void nginxIsToldWhereToRoute() {
        try (SwarmApi api = SwarmApi.connect(settings)) {
            assertThat(SwarmUpstreams.of(api, settings, Clock.systemUTC(), stack.environment().name(), stack.stackName(),
                    stack.service().name())).isInstanceOf(SwarmUpstreams.class);
        }
    }

    /**
     * Requests that take 2.5 s, longer than Swarm's 2 s between dropping a task from DNS and its stop signal, are in
     * flight to old tasks, an app that exits at once on SIGTERM, while they are replaced beside GET and POST load: none
     * fails. A task leaves nginx's upstream when its replacement is created, and that reload ends only once nginx's old
     * workers have finished such requests; told by DNS alone, one sent in the task's last moments would be dropped.
     */
    @Test
    void slowRequestsInFlightToTasksThatExitAtOnceAreFinishedBeforeTheyStop() throws Exception {
        ImageRef from = stack.nextVersionThatExitsOnSigterm();
        RolloutResult onto = engine.roll(request(from));
        assertThat(onto.outcome()).as(onto.summary()).isEqualTo(RolloutResult.Outcome.DEPLOYED);
        RolloutResult result;
        Load slow = Load.get(stack.url(), "/api/slow?ms=2500", 2);
        Load fast = Load.start(stack.url(), 4, 2);
        try {
            Thread.sleep(1000);
            result = engine.roll(request(stack.nextVersionThatExitsOnSigterm()));
        } finally {
            slow.close();
            fast.close();
        }

        System.out.printf("2.5 s requests while tasks that exit at once are replaced: %s; others: %s%n  %s%n",
                Load.figures(slow.samples()), Load.figures(fast.samples()), result.summary());
        assertThat(result.outcome()).as(result.summary()).isEqualTo(RolloutResult.Outcome.DEPLOYED);
        assertThat(Stream.concat(slow.samples().stream(), fast.samples().stream()).filter(Load.Sample::failed)
                .map(Load.Sample::error).limit(5)).as(() -> "failed requests; the proxy's errors:\n" + stack.proxyErrors())
                .isEmpty();
        assertThat(slow.samples()).as("slow requests answered by the old tasks during the rollout")
                .anyMatch(sample -> stack.versionOf(from).equals(sample.version()));
    }

    /** Whatever a rollout ended with, nginx finds the tasks by their name again afterwards. */
    @AfterEach
    void noUpstreamFileIsLeft() throws IOException {
        try (Stream<Path> files = Files.list(Path.of(stack.upstreams(), stack.environment().name()))) {
            assertThat(files.toList()).as("nginx's upstream files, once a rollout is over").isEmpty();
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

    /** Swarm's manager does not see the health checks' output: they run on the nodes. */
    @Override
    protected boolean reasonsQuoteTheHealthCheck() {
        return false;
    }

    /** 4 rollouts of 3 replicas: 12 replacements, more than the compose engine's 10 of one (about 30 s each here). */
    @Override
    protected int consecutiveRollouts() {
        return 4;
    }
}
