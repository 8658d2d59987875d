package io.rinpoche.deploy.model;

import java.util.Objects;

/**
 * Put {@code image} on {@code service} of {@code environment}: what a rule decides for a push, what a person
 * asks for, what the reconcile loop finds missing, and what an engine is asked to roll.
 */
public record DeployRequest(Environment environment, ServiceName service, ImageRef image) {

    public DeployRequest {
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(image, "image");
    }

    /** For messages, e.g. {@code production/app <- hello-django:1.2.0}. */
    @Override
    public String toString() {
        return environment + "/" + service + " <- " + image;
    }
}
