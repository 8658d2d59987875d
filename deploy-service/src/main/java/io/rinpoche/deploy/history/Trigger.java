package io.rinpoche.deploy.history;

import java.util.Locale;
import java.util.Objects;

/**
 * What asked for a deployment: a registry hook (its source and event id), a person through the API (a
 * manual deploy or a rollback, and who), a commit someone pushed to the state repository (its author),
 * the reconcile loop finding a service off its pin, or the analysis after a deploy rolling it back.
 *
 * @param source the hook source, for {@link Kind#HOOK}; else null
 * @param eventId the hook's event id, for {@link Kind#HOOK}; else null
 * @param user who asked, for every kind but {@link Kind#HOOK}; else null
 * @param reason why, for {@link Kind#ANALYSIS}: the verdict with its figures, which becomes the rollback's reason in
 *     the history; else null
 */
public record Trigger(Kind kind, String source, String eventId, String user, String reason) {

    /** Where the request came from. */
    public enum Kind {
        HOOK, MANUAL, ROLLBACK, GIT, RECONCILE, ANALYSIS;

        /** Lower case, as it appears in the API. */
        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Trigger {
        Objects.requireNonNull(kind, "kind");
        if (kind == Kind.HOOK) {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(eventId, "eventId");
        } else {
            Objects.requireNonNull(user, "user");
        }
        if (kind == Kind.ANALYSIS) {
            Objects.requireNonNull(reason, "reason");
        }
    }

    public Trigger(Kind kind, String source, String eventId, String user) {
        this(kind, source, eventId, user, null);
    }

    /** A push that came through hook source {@code source}. */
    public static Trigger hook(String source, String eventId) {
        return new Trigger(Kind.HOOK, source, eventId, null);
    }

    /** A deploy asked for through the API by {@code user}. */
    public static Trigger manual(String user) {
        return new Trigger(Kind.MANUAL, null, null, user);
    }

    /** A rollback asked for through the API by {@code user}. */
    public static Trigger rollback(String user) {
        return new Trigger(Kind.ROLLBACK, null, null, user);
    }

    /** A pin changed by a commit to the state repository that {@code author} wrote ({@code Name <email>}). */
    public static Trigger git(String author) {
        return new Trigger(Kind.GIT, null, null, author);
    }

    /** The reconcile loop, which found a service running something other than its pin. */
    public static Trigger reconcile() {
        return new Trigger(Kind.RECONCILE, null, null, "reconcile");
    }

    /**
     * The analysis after a deploy, which found the new version clearly worse than the old one and rolls it back;
     * {@code reason} is its verdict with the figures.
     */
    public static Trigger analysis(String reason) {
        return new Trigger(Kind.ANALYSIS, null, null, "analysis", reason);
    }

    /** e.g. {@code hook registry/9b0d7c34} or {@code rollback by admin}. */
    @Override
    public String toString() {
        return kind == Kind.HOOK ? "hook " + source + "/" + eventId
                : kind == Kind.ANALYSIS ? "analysis" : kind.tag() + " by " + user;
    }
}
