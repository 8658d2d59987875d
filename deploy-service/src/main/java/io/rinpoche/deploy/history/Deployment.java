package io.rinpoche.deploy.history;

import io.rinpoche.deploy.model.Environment;
import io.rinpoche.deploy.model.ImageRef;
import io.rinpoche.deploy.model.ServiceName;
import io.rinpoche.deploy.rollout.ImageVersion;
import io.rinpoche.deploy.rollout.RolloutResult;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One finished rollout, as the history keeps it.
 *
 * @param id the id the request was given when it was accepted
 * @param requested the image asked for
 * @param from what ran before; null when the rollout failed before the engine could tell
 * @param to what was asked for as the engine resolved it; null when it never resolved
 * @param started when the rollout began (not when it was requested: it may have waited for another)
 * @param reason why it was rolled back, skipped or failed; empty when deployed, unless the deploy service was
 *     stopped before it recorded the end of the rollout (the reconcile loop then says how it found it)
 */
public record Deployment(String id, Environment environment, ServiceName service, ImageRef requested,
                         ImageVersion from, ImageVersion to, Trigger trigger, RolloutResult.Outcome outcome,
                         Instant started, Duration duration, String reason) {

    public Deployment {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(requested, "requested");
        Objects.requireNonNull(trigger, "trigger");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(started, "started");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(reason, "reason");
    }

    /** The record of {@code result}, a rollout that began at {@code started}. */
    public static Deployment of(String id, Trigger trigger, Instant started, RolloutResult result) {
        return new Deployment(id, result.request().environment(), result.request().service(), result.request().image(),
                result.from(), result.to(), trigger, result.outcome(), started, result.duration(), result.reason());
    }

    /** True when this deployment put {@code service} of {@code environment} onto a new image. */
    public boolean deployed(Environment environment, ServiceName service) {
        return outcome == RolloutResult.Outcome.DEPLOYED && this.environment.equals(environment)
                && this.service.equals(service);
    }
}
