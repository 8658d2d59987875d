package io.rinpoche.deploy.rollout;

import io.rinpoche.deploy.model.DeploymentPlan;
import io.rinpoche.deploy.model.Environment;
import io.rinpoche.deploy.model.ImageRef;
import io.rinpoche.deploy.model.ServiceName;
import java.util.Objects;

/** Put {@code image} on {@code service} of {@code environment}: what a plan, a manual deploy or a rollback asks of an engine. */
public record RolloutRequest(Environment environment, ServiceName service, ImageRef image) {

    public RolloutRequest {
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(image, "image");
    }

    /** The request a policy's plan stands for. */
    public static RolloutRequest of(DeploymentPlan plan) {
        return new RolloutRequest(plan.environment(), plan.service(), plan.image());
    }

    /** For messages, e.g. {@code production/app <- hello-django:1.2.0}. */
    @Override
    public String toString() {
        return environment + "/" + service + " <- " + image;
    }
}
