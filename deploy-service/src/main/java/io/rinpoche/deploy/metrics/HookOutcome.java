package io.rinpoche.deploy.metrics;

import java.util.Locale;

/** What became of a hook request: the {@code outcome} tag of {@code rinpoche_hooks_total}. */
public enum HookOutcome {
    ACCEPTED, IGNORED, MALFORMED, UNAUTHORIZED, TOO_LARGE, UNKNOWN_SOURCE,
    /** Authentic and planned, but the intent could not be recorded: answered 503, so the registry retries. */
    UNRECORDED;

    /** The tag value, e.g. {@code too_large}. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
