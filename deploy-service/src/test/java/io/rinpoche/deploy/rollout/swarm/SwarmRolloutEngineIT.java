package io.rinpoche.deploy.rollout.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import io.rinpoche.deploy.rollout.EngineSettings;
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
