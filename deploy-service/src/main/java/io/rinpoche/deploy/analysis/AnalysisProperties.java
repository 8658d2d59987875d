package io.rinpoche.deploy.analysis;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code rinpoche.analysis}: the analysis after a deploy. A rule may switch it on or off for its service
 * ({@code analysis: true|false}); in {@code environments} it is on unless a rule of the service says false.
 *
 * @param environments where every deployed service is analysed unless its rules say otherwise (production)
 * @param window how long after a rollout the new version is watched (2 min)
 * @param baseline how far before the rollout the old version's figures reach (10 min)
 * @param checkEvery how often within the window the figures are read: a clearly bad version with enough requests is
 *     rolled back at the first check that sees it, a good one passes at the end of the window (15 s)
 * @param minRequests requests each window needs to be judged (100)
 * @param maxErrorIncrease how far the 5xx share may rise, as a fraction (0.05 = 5 points)
 * @param maxLatencyRatio and {@code latencyMargin}: the p95 is too slow when above both ratio x the old p95 and the
 *     old p95 + margin (1.5, 100 ms)
 * @param prometheusUrl Prometheus' HTTP API
 * @param timeout for each query (5 s)
 */
@ConfigurationProperties("rinpoche.analysis")
public record AnalysisProperties(@DefaultValue("production") List<String> environments,
                                 @DefaultValue("2m") Duration window,
                                 @DefaultValue("10m") Duration baseline,
                                 @DefaultValue("15s") Duration checkEvery,
                                 @DefaultValue("100") long minRequests,
                                 @DefaultValue("0.05") double maxErrorIncrease,
                                 @DefaultValue("1.5") double maxLatencyRatio,
                                 @DefaultValue("100ms") Duration latencyMargin,
                                 @DefaultValue("http://prometheus:9090") URI prometheusUrl,
                                 @DefaultValue("5s") Duration timeout) {

    public AnalysisProperties {
        for (Duration duration : List.of(window, baseline, checkEvery, timeout)) {
            if (duration.toSeconds() < 1) {
                throw new IllegalArgumentException("rinpoche.analysis: window, baseline, check-every and timeout must be"
                        + " at least 1 s, not " + duration);
            }
        }
        new Thresholds(minRequests, maxErrorIncrease, maxLatencyRatio, latencyMargin);  // checks them
    }

    /** The thresholds, checked. */
    public Thresholds thresholds() {
        return new Thresholds(minRequests, maxErrorIncrease, maxLatencyRatio, latencyMargin);
    }
}
