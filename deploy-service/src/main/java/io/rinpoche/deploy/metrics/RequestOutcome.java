package io.rinpoche.deploy.metrics;

import java.util.Locale;

/** What became of a request for a rollout: the {@code outcome} tag of {@code rinpoche_rollout_requests_total}. */
public enum RequestOutcome {
    /** It will run: at once, or after the rollout in progress. */
    QUEUED,
    /** A newer request for the same service replaced it before it started. */
    SUPERSEDED,
    /** Its event id was accepted before: nothing done. */
    REDELIVERED;

    /** The tag value, e.g. {@code superseded}. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
