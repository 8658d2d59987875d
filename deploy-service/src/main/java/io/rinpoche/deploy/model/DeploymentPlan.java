package io.rinpoche.deploy.model;

import java.util.Objects;

/**
 * What the policy decided: put {@code image} (pinned by digest when known) on {@code service} of
 * {@code environment}, because {@code rule} matched {@code trigger}. A plain value: no Docker needed
 * to check it.
 */
public record DeploymentPlan(Environment environment, ServiceName service, ImageRef image, String rule,
                             PushEvent trigger) {

    public DeploymentPlan {
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(trigger, "trigger");
    }

    /** One line for logs and responses, e.g. {@code staging/app <- 127.0.0.1:5000/hello-django:develop-1 (rule staging)}. */
    public String summary() {
        return environment + "/" + service + " <- " + image + " (rule " + rule + ")";
    }
}
