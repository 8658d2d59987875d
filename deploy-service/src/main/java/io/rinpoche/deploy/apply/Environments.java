package io.rinpoche.deploy.apply;

import io.rinpoche.deploy.model.Environment;
import io.rinpoche.deploy.rollout.RolloutEngine;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The configured environments and what the engine says runs in each. */
public final class Environments {

    private static final Logger log = LoggerFactory.getLogger(Environments.class);
    private final List<Environment> configured;
    private final RolloutEngine engine;

    public Environments(List<Environment> configured, RolloutEngine engine) {
        this.configured = List.copyOf(configured);
        this.engine = engine;
    }

    /** The environments the service manages, in configuration order. */
    public List<Environment> configured() {
        return configured;
    }

    /** True when {@code environment} is one of them. */
    public boolean contains(Environment environment) {
        return configured.contains(environment);
    }

    /**
     * Each environment's services. An engine that cannot answer for one (unreachable, project missing its
     * permissions...) gives that environment an error instead of failing the whole listing.
     */
    public List<EnvironmentState> states() {
        return configured.stream().map(this::state).toList();
    }

    private EnvironmentState state(Environment environment) {
        try {
            return new EnvironmentState(environment, engine.services(environment), null);
        } catch (RuntimeException e) {
            log.warn("cannot list the services of environment {}: {}", environment, e.toString());
            return new EnvironmentState(environment, List.of(), "the rollout engine cannot list its services: "
                    + e.getMessage());
        }
    }
}
