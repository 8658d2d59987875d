package io.rinpoche.deploy.web.dashboard;

import io.rinpoche.deploy.prometheus.PrometheusException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the dashboard shows from Prometheus: the charts (deploys per day, deploy duration, and requests/s, error
 * rate and latency per environment from nginx's edge metrics, whose targets carry an {@code environment} label),
 * each app's figures and the firing alerts.
 */
public final class Charts {

    static final String DEPLOYS_PER_DAY = "sum(increase(rinpoche_deployments_total[1d]))";
    // The p95 of the deploys of the 24 hours before each point: a deploy now and then still gives a figure
    // (a rate over 1 h is 0/0, "n/a", in every hour without one).
    static final String DURATION_P95 = "histogram_quantile(0.95, sum by (environment, le) "
            + "(increase(rinpoche_deployment_duration_seconds_bucket[24h])))";
    // nginx's edge metrics (rinpoche/nginx): each app's requests by status and their latency; Prometheus adds environment.
    static final String REQUESTS = "sum by (environment) (rate(rinpoche_edge_requests_total[1m]))";
    static final String ERRORS = "sum by (environment) (rate(rinpoche_edge_requests_total{status=~\"5..\"}[5m]))"
            + " / sum by (environment) (rate(rinpoche_edge_requests_total[5m]))";
    static final String LATENCY_P95 = "histogram_quantile(0.95, sum by (environment, le) "
            + "(rate(rinpoche_edge_request_duration_seconds_bucket[5m])))";
    private static final Logger log = LoggerFactory.getLogger(Charts.class);

    private final PrometheusClient prometheus;

    public Charts(PrometheusClient prometheus) {
        this.prometheus = prometheus;
    }

    /** The charts, or empty when Prometheus cannot answer (the page then says "metrics unavailable"). */
    public List<Chart> all() {
        return all(List.of());
    }

    /** The charts, the time-based ones with a marker for each of {@code deploys} in their range. */
    public List<Chart> all(List<Chart.Deploy> deploys) {
        try {
            return List.of(
                    Chart.bars("Deploys per day (14 days)", "deploys",
                            prometheus.queryRange(DEPLOYS_PER_DAY, Duration.ofDays(13), Duration.ofDays(1)),
                            "no deploys recorded yet"),
                    Chart.lines("Deploy duration p95 (24 h)", "s",
                            prometheus.queryRange(DURATION_P95, Duration.ofHours(24), Duration.ofMinutes(30)),
                            "environment", "no deploys in the last 24 h", deploys),
                    Chart.lines("Requests/s per environment (1 h)", "req/s",
                            prometheus.queryRange(REQUESTS, Duration.ofHours(1), Duration.ofMinutes(1)),
                            "environment", "no requests to an app in the last hour", deploys),
                    Chart.lines("Error rate (5xx share) per environment (1 h)", "",
                            prometheus.queryRange(ERRORS, Duration.ofHours(1), Duration.ofMinutes(1)),
                            "environment", "no requests to an app in the last hour", deploys),
                    Chart.lines("Latency p95 per environment (1 h)", "s",
                            prometheus.queryRange(LATENCY_P95, Duration.ofHours(1), Duration.ofMinutes(1)),
                            "environment", "no requests to an app in the last hour", deploys));
        } catch (PrometheusException e) {
            log.warn("dashboard charts left out: {}", e.getMessage());
            return List.of();
        }
    }

    /** The alerts firing now, or empty when Prometheus cannot answer (the page then says so). */
    public Optional<List<FiringAlert>> alerts() {
        try {
            return Optional.of(prometheus.firingAlerts());
        } catch (PrometheusException e) {
            log.warn("dashboard alerts left out: {}", e.getMessage());
            return Optional.empty();
        }
    }
}
