package io.rinpoche.deploy.analysis;

import io.rinpoche.deploy.model.Environment;
import io.rinpoche.deploy.model.ServiceName;
import io.rinpoche.deploy.prometheus.PrometheusApi;
import io.rinpoche.deploy.prometheus.PrometheusException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;

/**
 * An app's figures at the edge over a window, from Prometheus' instant queries ({@code /api/v1/query} with
 * {@code time}, https://prometheus.io/docs/prometheus/latest/querying/api/#instant-queries) over the edge metrics
 * nginx exports per environment and app: {@code rinpoche_edge_requests_total{environment,app,status}} and the
 * histogram {@code rinpoche_edge_request_duration_seconds{environment,app}}. The app label is the catalogue's app
 * name, which is also the service the deploy service rolls.
 */
public final class PrometheusEdgeMetrics implements EdgeMetrics {

    private final PrometheusApi api;

    public PrometheusEdgeMetrics(URI base, Duration timeout) {
        this.api = new PrometheusApi(base, timeout);
    }

    @Override
    public EdgeFigures figures(Environment environment, ServiceName service, Instant start, Instant end) {
        long seconds = Math.max(1, Duration.between(start, end).toSeconds());
        String selector = "{environment=\"" + environment.name() + "\",app=\"" + service.name() + "\"";
        String range = "[" + seconds + "s]";
        try {
            double requests = api.instant("sum(increase(rinpoche_edge_requests_total" + selector + "}" + range + "))",
                    end).orElse(0);
            double errors = api.instant("sum(increase(rinpoche_edge_requests_total" + selector + ",status=~\"5..\"}"
                    + range + "))", end).orElse(0);
            double p95 = api.instant("histogram_quantile(0.95, sum by (le) (increase("
                    + "rinpoche_edge_request_duration_seconds_bucket" + selector + "}" + range + ")))", end).orElse(Double.NaN);
            return new EdgeFigures(seconds, requests, errors, p95);
        } catch (PrometheusException e) {
            throw new EdgeMetricsException(e.getMessage(), e);
        } catch (RuntimeException e) {
            // A missing or non-numeric value inside an answer that was otherwise well formed.
            throw new EdgeMetricsException("cannot read Prometheus' edge figures: " + e.getMessage(), e);
        }
    }
}
