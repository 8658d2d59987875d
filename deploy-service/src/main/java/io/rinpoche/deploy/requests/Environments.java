package io.rinpoche.deploy.requests;

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
    private final StateProblems problems;

    public Environments(List<Environment> configured, RolloutEngine engine, StateProblems problems) {
        this.configured = List.copyOf(configured);
        this.engine = engine;
        this.problems = problems;
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
     * {@code environment}, once it is known to be one of them: what every request a person makes checks first.
     *
     * @throws IllegalArgumentException naming the configured environments when it is not
     */
    public Environment require(Environment environment) {
        if (!contains(environment)) {
            throw new IllegalArgumentException("unknown environment '" + environment + "' (configured: "
                    + configured + ")");
        }
        return environment;
    }

    /**
     * Each environment's services. An engine that cannot answer for one (unreachable, project missing its
     * permissions...) gives that environment an error instead of failing the whole listing; so does a desired
     * state that cannot be read (the services are listed all the same).
     */
    public List<EnvironmentState> states() {
        return configured.stream().map(this::state).toList();
    }

    private EnvironmentState state(Environment environment) {
        try {
            return new EnvironmentState(environment, engine.services(environment), problems.of(environment)
                    .map(problem -> "the desired state cannot be read: " + problem).orElse(null));
        } catch (RuntimeException e) {
            log.warn("cannot list the services of environment {}: {}", environment, e.toString());
            return new EnvironmentState(environment, List.of(), "the rollout engine cannot list its services: "
                    + e.getMessage());
        }
    }
}
