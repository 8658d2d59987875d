package io.rinpoche.deploy.web.dashboard;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code rinpoche.dashboard}: where Prometheus answers ({@code PROMETHEUS_URL}), how long a query may take and
 * how long its answer is kept.
 */
@ConfigurationProperties("rinpoche.dashboard")
public record DashboardProperties(@DefaultValue("http://prometheus:9090") URI prometheusUrl,
                                  @DefaultValue("2s") Duration prometheusTimeout,
                                  @DefaultValue("10s") Duration prometheusCache) {
}
