package io.rinpoche.deploy.web.dashboard;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the dashboard shows from Prometheus: the charts (deploys per day, deploy duration, and requests/s and error
 * rate per environment; the nginx exporter's targets carry an {@code environment} label) and the firing alerts.
 */
public final class Charts {

    static final String DEPLOYS_PER_DAY = "sum(increase(rinpoche_deployments_total[1d]))";
    static final String DURATION_P95 = "histogram_quantile(0.95, sum by (le) "
            + "(rate(rinpoche_deployment_duration_seconds_bucket[1h])))";
    static final String REQUESTS = "sum by (environment) (rate(nginx_http_requests_total[1m]))";
    // The stub_status exporter counts requests but no status codes: without a status label this is empty.
    static final String ERRORS = "sum by (environment) (rate(nginx_http_requests_total{status=~\"5..\"}[1m]))"
            + " / sum by (environment) (rate(nginx_http_requests_total[1m]))";
    private static final Logger log = LoggerFactory.getLogger(Charts.class);

    private final PrometheusClient prometheus;

    public Charts(PrometheusClient prometheus) {
        this.prometheus = prometheus;
    }

    /** The charts, or empty when Prometheus cannot answer (the page then says "metrics unavailable"). */
    public List<Chart> all() {
        try {
            return List.of(
                    Chart.bars("Deploys per day (14 days)", "deploys",
                            prometheus.queryRange(DEPLOYS_PER_DAY, Duration.ofDays(13), Duration.ofDays(1)),
                            "no deploys recorded yet"),
                    Chart.lines("Deploy duration p95 (24 h)", "s",
                            prometheus.queryRange(DURATION_P95, Duration.ofHours(24), Duration.ofMinutes(30)),
                            "environment", "no deploys in the last 24 h"),
                    Chart.lines("Requests/s per environment (1 h)", "req/s",
                            prometheus.queryRange(REQUESTS, Duration.ofHours(1), Duration.ofMinutes(1)),
                            "environment", "no nginx exporter series"),
                    Chart.lines("Error rate (5xx share) per environment (1 h)", "",
                            prometheus.queryRange(ERRORS, Duration.ofHours(1), Duration.ofMinutes(1)),
                            "environment", "n/a: the nginx stub_status exporter reports no status codes"));
        } catch (PrometheusUnavailableException e) {
            log.warn("dashboard charts left out: {}", e.getMessage());
            return List.of();
        }
    }

    /** The alerts firing now, or empty when Prometheus cannot answer (the page then says so). */
    public Optional<List<FiringAlert>> alerts() {
        try {
            return Optional.of(prometheus.firingAlerts());
        } catch (PrometheusUnavailableException e) {
            log.warn("dashboard alerts left out: {}", e.getMessage());
            return Optional.empty();
        }
    }
}
