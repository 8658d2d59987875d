package io.rinpoche.deploy.requests;

import io.rinpoche.deploy.history.Intent;
import io.rinpoche.deploy.history.Trigger;
import io.rinpoche.deploy.model.DeployRequest;
import io.rinpoche.deploy.model.Environment;
import io.rinpoche.deploy.model.ImageRef;
import io.rinpoche.deploy.model.ServiceName;
import io.rinpoche.deploy.state.GitDeploymentHistory;
import io.rinpoche.deploy.state.PinFile;
import io.rinpoche.deploy.state.StateRepository;
import java.nio.charset.StandardCharsets;

/**
 * The pins, for the API and the dashboard: the file an environment's stack starts from, whether a service is pinned,
 * seeding a pin, and a service's pin at a past revision.
 */
public final class DesiredState {

    private final StateRepository state;
    private final GitDeploymentHistory history;
    private final Environments environments;

    public DesiredState(StateRepository state, GitDeploymentHistory history, Environments environments) {
        this.state = state;
        this.history = history;
        this.environments = environments;
    }

    /** {@code env/<environment>.images.env} as it is at the branch's tip, for {@code docker compose --env-file}. */
    public String envFile(Environment environment) {
        return new String(state.pins(environments.require(environment)).format(), StandardCharsets.UTF_8);
    }

    /** True when {@code service} has a pin in {@code environment}: deploys and rollbacks change it. */
    public boolean pinned(Environment environment, ServiceName service) {
        return state.pins(environments.require(environment)).pin(service).isPresent();
    }

    /** Pins {@code image} on {@code service} unless it is pinned; returns the pin it has now. */
    public ImageRef seed(Environment environment, ServiceName service, ImageRef image, String user) {
        return history.seed(Intent.of(new DeployRequest(environments.require(environment), service, image),
                Trigger.manual(user)));
    }

    /** The image {@code service} was pinned to at {@code revision}. */
    public ImageRef pinAt(String revision, Environment environment, ServiceName service) {
        PinFile pins = state.pinsAt(revision, environments.require(environment));
        return pins.pin(service).orElseThrow(() -> new NothingToRollBackException("revision " + revision
                + " of the state repository pins no image for " + environment + "/" + service));
    }
}
