package io.rinpoche.deploy.analysis;

import io.rinpoche.deploy.model.Environment;
import io.rinpoche.deploy.model.ServiceName;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An app's figures at the edge over a window, from Prometheus' instant queries ({@code /api/v1/query} with
 * {@code time}, https://prometheus.io/docs/prometheus/latest/querying/api/#instant-queries) over the edge metrics
 * nginx exports per environment and app: {@code rinpoche_edge_requests_total{environment,app,status}} and the
 * histogram {@code rinpoche_edge_request_duration_seconds{environment,app}}. The app label is the catalogue's app
 * name, which is also the service the deploy service rolls.
 */
public final class PrometheusEdgeMetrics implements EdgeMetrics {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final URI base;
    private final HttpClient http;
    private final Duration timeout;

    public PrometheusEdgeMetrics(URI base, Duration timeout) {
        this.base = base;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    @Override
    public EdgeFigures figures(Environment environment, ServiceName service, Instant start, Instant end) {
        long seconds = Math.max(1, Duration.between(start, end).toSeconds());
        String selector = "{environment=\"" + environment.name() + "\",app=\"" + service.name() + "\"";
        String range = "[" + seconds + "s]";
        double requests = scalar("sum(increase(rinpoche_edge_requests_total" + selector + "}" + range + "))", end, 0);
        double errors = scalar("sum(increase(rinpoche_edge_requests_total" + selector + ",status=~\"5..\"}" + range
                + "))", end, 0);
        double p95 = scalar("histogram_quantile(0.95, sum by (le) (increase(rinpoche_edge_request_duration_seconds_bucket"
                + selector + "}" + range + ")))", end, Double.NaN);
        return new EdgeFigures(seconds, requests, errors, p95);
    }

    // The value of a query that yields one series at most; `none` when it yields no series (no such metric yet).
    private double scalar(String query, Instant at, double none) {
        JsonNode root = JSON.readTree(get("/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8)
                + "&time=" + at.getEpochSecond() + "." + String.format("%03d", at.getNano() / 1_000_000)));
        JsonNode data = root.path("data");
        if (!"success".equals(root.path("status").asString("")) || !"vector".equals(data.path("resultType").asString(""))) {
            throw new EdgeMetricsException("Prometheus at " + base + " answered no vector to " + query + ": "
                    + abbreviate(root.toString()));
        }
        JsonNode result = data.path("result");
        return result.isEmpty() ? none : number(result.get(0).path("value").get(1).asString());
    }

    // Prometheus writes special values as NaN, +Inf, -Inf; Java reads only the first as such.
    private static double number(String text) {
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(text);
        };
    }

    private String get(String pathAndQuery) {
        URI uri = base.resolve(pathAndQuery);
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new EdgeMetricsException("Prometheus at " + base + " answered " + response.statusCode() + ": "
                        + abbreviate(response.body()));
            }
            return response.body();
        } catch (IOException e) {
            throw new EdgeMetricsException("Prometheus at " + base + " is unreachable: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EdgeMetricsException("interrupted while asking Prometheus at " + base, e);
        }
    }

    private static String abbreviate(String text) {
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }
}
