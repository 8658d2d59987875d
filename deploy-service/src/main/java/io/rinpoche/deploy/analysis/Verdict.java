package io.rinpoche.deploy.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What the analysis after a deploy concluded, with the figures it went by in {@code text}.
 *
 * @param text one line for the history, e.g. {@code 5xx share rose to 21.3 % ...}
 */
public record Verdict(Kind kind, String text) {

    /** The three ends of an analysis. */
    public enum Kind {
        /** The new version is not clearly worse: it stays. */
        PASSED,
        /** The new version is clearly worse: roll it back. */
        ROLL_BACK,
        /** Nothing could be judged (too few requests, no Prometheus...): it stays, and the text says why. */
        NOT_ANALYSED;

        /** As a metric label and in texts: {@code passed}, {@code rolled_back}, {@code not_analysed}. */
        public String tag() {
            return this == ROLL_BACK ? "rolled_back" : name().toLowerCase(Locale.ROOT);
        }
    }

    public Verdict {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(text, "text");
    }

    /** Not analysed, and why. */
    public static Verdict notAnalysed(String why) {
        return new Verdict(Kind.NOT_ANALYSED, "not analysed: " + why);
    }

    /**
     * Judges the new version ({@code after}) against the old one's baseline ({@code before}). A window with fewer than
     * the minimum requests is not analysed; a 5xx share or a p95 clearly above the baseline's is a rollback.
     */
    public static Verdict judge(EdgeFigures before, EdgeFigures after, Thresholds limits) {
        if (after.requests() < limits.minRequests()) {
            return notAnalysed(String.format(Locale.ROOT, "only %.0f requests at the edge in the %d s after the deploy"
                    + " (at least %d needed)", after.requests(), after.seconds(), limits.minRequests()));
        }
        if (before.requests() < limits.minRequests()) {
            return notAnalysed(String.format(Locale.ROOT, "only %.0f requests at the edge in the %d s before the deploy,"
                    + " no baseline (at least %d needed)", before.requests(), before.seconds(), limits.minRequests()));
        }
        List<String> worse = new ArrayList<>();
        if (after.errorShare() - before.errorShare() > limits.maxErrorIncrease()) {
            worse.add(String.format(Locale.ROOT, "5xx share rose by more than %.1f points", limits.maxErrorIncrease() * 100));
        }
        if (slower(before.p95(), after.p95(), limits)) {
            worse.add(String.format(Locale.ROOT, "p95 rose above %.2f times the old one and by more than %.3f s",
                    limits.maxLatencyRatio(), limits.latencyMargin().toMillis() / 1000.0));
        }
        String figures = "after the deploy (" + after.seconds() + " s): " + after.describe() + "; before ("
                + before.seconds() + " s): " + before.describe();
        return worse.isEmpty() ? new Verdict(Kind.PASSED, "analysis passed: " + figures)
                : new Verdict(Kind.ROLL_BACK, "analysis: " + String.join(" and ", worse) + ": " + figures);
    }

    // Without a p95 on either side (no timed request) latency cannot be judged: only the 5xx share counts.
    private static boolean slower(double before, double after, Thresholds limits) {
        return !Double.isNaN(before) && !Double.isNaN(after) && after > before * limits.maxLatencyRatio()
                && after - before > limits.latencyMargin().toMillis() / 1000.0;
    }
}
