package io.rinpoche.deploy.rollout;

import io.rinpoche.deploy.model.DeployRequest;
import java.time.Duration;
import java.util.Objects;

/**
 * What a rollout came to. Outcomes are results; a rollout that could not be carried out is a
 * {@link RolloutException}, which the caller may record with {@link #failed}.
 *
 * @param from what ran before (null only when {@link Outcome#FAILED} before it was known)
 * @param to the image asked for, as resolved on the engine (null when it never resolved)
 * @param reason why it was rolled back, skipped or failed; empty when deployed
 * @param tail how much of {@code duration} came after the new image served on every replica (stopping and removing
 *             the old replicas); zero when the engine does not tell
 */
public record RolloutResult(DeployRequest request, Outcome outcome, ImageVersion from, ImageVersion to,
                            Duration duration, String reason, Duration tail) {

    /** A result whose engine does not tell when the new image began to serve. */
    public RolloutResult(DeployRequest request, Outcome outcome, ImageVersion from, ImageVersion to, Duration duration,
                         String reason) {
        this(request, outcome, from, to, duration, reason, Duration.ZERO);
    }

    /** How a rollout ended. */
    public enum Outcome {
        /** The service runs the new image on every replica. */
        DEPLOYED,
        /** The service already ran that image; nothing was touched. */
        SKIPPED,
        /** The new image did not come up; it was removed and the old version kept serving. */
        ROLLED_BACK,
        /** The rollout could not be carried out (recorded from a {@link RolloutException}). */
        FAILED
    }

    public RolloutResult {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(reason, "reason");
        // Not checked against duration: both come from the wall clock, which may step (the metric clamps at 0).
        Objects.requireNonNull(tail, "tail");
        if (outcome != Outcome.FAILED && (from == null || to == null)) {
            throw new IllegalArgumentException(outcome + " needs both from and to");
        }
    }

    /** A failure as a history entry: the exception's message is the reason. */
    public static RolloutResult failed(DeployRequest request, ImageVersion from, Duration duration,
                                       RolloutException failure) {
        return new RolloutResult(request, Outcome.FAILED, from, null, duration, failure.getMessage());
    }

    /** One line for logs, e.g. {@code production/app: DEPLOYED hello-django:1 (sha256:ab..) -> hello-django:2 (..) in 4.1 s}. */
    public String summary() {
        return request.environment() + "/" + request.service() + ": " + outcome + " " + (from != null ? from : "(not known)") + " -> "
                + (to != null ? to : request.image()) + " in " + duration.toMillis() / 1000.0 + " s"
                + (reason.isEmpty() ? "" : " (" + reason + ")");
    }
}
