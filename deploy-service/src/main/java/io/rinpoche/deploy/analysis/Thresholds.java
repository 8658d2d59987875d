package io.rinpoche.deploy.analysis;

import java.time.Duration;

/**
 * When a new version counts as clearly worse than the old one. Both windows need {@code minRequests}, so that a
 * quiet app is not judged on noise.
 *
 * @param minRequests requests the edge must have answered in each window (after the deploy, and the baseline)
 * @param maxErrorIncrease how far the 5xx share may rise, as a fraction (0.05: 1 % before may become 6 %)
 * @param maxLatencyRatio how many times the baseline's p95 the new p95 may be...
 * @param latencyMargin ...and by how much it may exceed it: both must be passed, so 2 ms becoming 5 ms is no regression
 */
public record Thresholds(long minRequests, double maxErrorIncrease, double maxLatencyRatio, Duration latencyMargin) {

    public Thresholds {
        if (minRequests < 1) {
            throw new IllegalArgumentException("rinpoche.analysis.min-requests must be at least 1, not " + minRequests);
        }
        if (!(maxErrorIncrease >= 0 && maxErrorIncrease <= 1)) {
            throw new IllegalArgumentException("rinpoche.analysis.max-error-increase must be between 0 and 1 (a share),"
                    + " not " + maxErrorIncrease);
        }
        if (!(maxLatencyRatio >= 1)) {
            throw new IllegalArgumentException("rinpoche.analysis.max-latency-ratio must be at least 1, not "
                    + maxLatencyRatio);
        }
        if (latencyMargin.isNegative()) {
            throw new IllegalArgumentException("rinpoche.analysis.latency-margin must not be negative");
        }
    }
}
