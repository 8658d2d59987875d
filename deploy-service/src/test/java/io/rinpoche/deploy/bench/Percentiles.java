package io.rinpoche.deploy.bench;

import java.util.Arrays;

/** Nearest-rank percentiles: with few samples p95 is simply the largest, never an interpolation. */
public final class Percentiles {

    private Percentiles() {
    }

    /** The {@code p}th percentile (0 to 100) of {@code sorted}; 0 when empty. */
    public static double of(double[] sorted, double p) {
        if (sorted.length == 0) {
            return 0.0;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
    }

    /** The same over unsorted values. */
    public static double ofUnsorted(double[] values, double p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return of(sorted, p);
    }
}
