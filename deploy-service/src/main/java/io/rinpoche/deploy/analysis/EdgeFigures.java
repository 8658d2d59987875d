package io.rinpoche.deploy.analysis;

/**
 * What the edge (nginx) saw of one app in one environment over one window.
 *
 * @param seconds how long the window was
 * @param requests requests answered (Prometheus' {@code increase}, so not always a whole number)
 * @param errors of those, answered with a 5xx status
 * @param p95 the 95th percentile of the request duration in seconds; NaN when no request was timed
 */
public record EdgeFigures(long seconds, double requests, double errors, double p95) {

    /** The 5xx share, 0 to 1; 0 without requests. */
    public double errorShare() {
        return requests > 0 ? errors / requests : 0;
    }

    /** e.g. {@code 5xx 21.3 % of 1532 requests, p95 0.081 s}. */
    String describe() {
        return String.format(java.util.Locale.ROOT, "5xx %.1f %% of %.0f requests, p95 %s", errorShare() * 100, requests,
                Double.isNaN(p95) ? "n/a" : String.format(java.util.Locale.ROOT, "%.3f s", p95));
    }
}
