package io.rinpoche.deploy.requests;

import static io.rinpoche.deploy.model.Texts.required;

import io.rinpoche.deploy.history.Intent;
import io.rinpoche.deploy.history.Trigger;
import io.rinpoche.deploy.model.DeployRequest;
import io.rinpoche.deploy.model.Environment;
import io.rinpoche.deploy.model.ImageRef;
import io.rinpoche.deploy.model.ServiceName;
import io.rinpoche.deploy.queue.DeployQueue;

/**
 * Deploys and rollbacks a person asks for, through the API or the dashboard: one code path, so both check the
 * environment, pick the rollback target and queue the request alike.
 */
public final class ManualRequests {

    // One token, so one user; a user per token comes with per-user tokens.
    public static final String USER = "admin";
    // A commit id, abbreviated or not: an image reference always has a ':' or '@'.
    private static final java.util.regex.Pattern REVISION = java.util.regex.Pattern.compile("[0-9a-f]{7,40}");

    private final DeployQueue queue;
    private final Environments environments;
    private final Rollbacks rollbacks;
    private final DesiredState desired;

    public ManualRequests(DeployQueue queue, Environments environments, Rollbacks rollbacks, DesiredState desired) {
        this.queue = queue;
        this.environments = environments;
        this.rollbacks = rollbacks;
        this.desired = desired;
    }

    /** Queues {@code image} for {@code service} of {@code environment}. */
    public Queued deploy(String environment, String service, String image) {
        DeployRequest request = new DeployRequest(environment(environment),
                ServiceName.of(required("service", service)), ImageRef.parse(required("image", image)));
        return queued(request, Trigger.manual(USER));
    }

    /**
     * Queues a rollback: to the image the newest deployment replaced, or to {@code to} (null for the former):
     * an image by digest the service ran, or a revision of the state repository (a commit id), whose pin it restores.
     *
     * @throws NothingToRollBackException when the history has nothing to go back to
     */
    public Queued rollback(String environment, String service, String to) {
        Environment target = environment(environment);
        ServiceName name = ServiceName.of(required("service", service));
        ImageRef image = to == null ? rollbacks.target(target, name)
                : REVISION.matcher(to).matches() ? desired.pinAt(to, target, name)
                : rollbacks.target(target, name, ImageRef.parse(to));
        return queued(new DeployRequest(target, name, image), Trigger.rollback(USER));
    }

    private Environment environment(String name) {
        return environments.require(Environment.of(required("environment", name)));
    }

    private Queued queued(DeployRequest request, Trigger trigger) {
        Intent intent = Intent.of(request, trigger);
        queue.submit(intent);
        return new Queued(intent.id(), request.environment().name(), request.service().name(),
                request.image().toString());
    }

    /** A queued request: its id (its history entry will have it) and what will be rolled where. */
    public record Queued(String id, String environment, String service, String image) {
    }
}
