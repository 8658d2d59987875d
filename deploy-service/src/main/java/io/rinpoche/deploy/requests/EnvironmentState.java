package io.rinpoche.deploy.requests;

import io.rinpoche.deploy.model.Environment;
import io.rinpoche.deploy.rollout.ServiceState;
import java.util.List;
import java.util.Objects;

/**
 * What runs in one environment, or why the engine could not tell.
 *
 * @param error null when {@code services} is the engine's answer; else why there is none
 */
public record EnvironmentState(Environment environment, List<ServiceState> services, String error) {

    public EnvironmentState {
        Objects.requireNonNull(environment, "environment");
        services = List.copyOf(services);
    }
}
