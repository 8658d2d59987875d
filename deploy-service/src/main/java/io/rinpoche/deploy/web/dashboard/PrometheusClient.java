package io.rinpoche.deploy.web.dashboard;

import io.rinpoche.deploy.prometheus.PrometheusApi;
import io.rinpoche.deploy.prometheus.PrometheusException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/**
 * Range and instant queries and the alerts of Prometheus' HTTP API, for the dashboard. Timeouts are short and
 * answers, failures included, are kept {@code cacheFor}: the page must render fast even when Prometheus is down.
 */
public final class PrometheusClient {

    private final PrometheusApi api;
    private final Duration cacheFor;
    private final Clock clock;
    private final Map<String, Cached<?>> cache = new ConcurrentHashMap<>();

    public PrometheusClient(URI base, Duration timeout, Duration cacheFor, Clock clock) {
        this.api = new PrometheusApi(base, timeout);
        this.cacheFor = cacheFor;
        this.clock = clock;
    }

    /**
     * The series of {@code query} over the last {@code range}, one point each {@code step}.
     *
     * @throws PrometheusException when Prometheus does not answer with a matrix
     */
    public List<Series> queryRange(String query, Duration range, Duration step) {
        return cached(query + "|" + range + "|" + step, now -> series(api.range(query, now.minus(range), now, step)));
    }

    /**
     * The first value of the instant query {@code query} at {@code at}; empty when it has no result (or NaN: no
     * requests in the window).
     *
     * @throws PrometheusException when Prometheus does not answer with a vector
     */
    public OptionalDouble queryAt(String query, Instant at) {
        return cached(query + "@" + at.getEpochSecond(), now -> api.instant(query, at));
    }

    /**
     * The alerts that are firing now (pending ones are not yet alerts), as the rules of Prometheus say.
     *
     * @throws PrometheusException when Prometheus does not answer with its alerts
     */
    public List<FiringAlert> firingAlerts() {
        return cached("/api/v1/alerts", now -> FiringAlert.firing(api.read("/api/v1/alerts")));
    }

    /** The answer under {@code key}, fetched again once older than cacheFor; failures are kept as long. */
    @SuppressWarnings("unchecked")
    private <T> T cached(String key, Function<Instant, T> fetch) {
        Instant now = clock.instant();
        Cached<?> cached = cache.get(key);
        if (cached == null || cached.at().plus(cacheFor).isBefore(now)) {
            try {
                cached = new Cached<>(now, fetch.apply(now), null);
            } catch (PrometheusException e) {
                cached = new Cached<>(now, null, e);
            } catch (RuntimeException e) {
                // A missing or non-numeric value inside an answer that was otherwise well formed.
                cached = new Cached<>(now, null, new PrometheusException("cannot read Prometheus' answer to " + key
                        + ": " + e.getMessage(), e));
            }
            cache.put(key, cached);
        }
        return (T) cached.answer();
    }

    /** A matrix's {@code result}: {@code [{"metric":{...},"values":[[t,"v"]]}]}. */
    private static List<Series> series(JsonNode data) {
        List<Series> series = new ArrayList<>();
        for (JsonNode result : data.path("result")) {
            Map<String, String> labels = new LinkedHashMap<>();
            result.path("metric").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asString("")));
            List<Series.Point> points = new ArrayList<>();
            for (JsonNode value : result.path("values")) {
                points.add(new Series.Point(value.get(0).asLong(), PrometheusApi.number(value.get(1).asString())));
            }
            series.add(new Series(labels, points));
        }
        return series;
    }

    private record Cached<T>(Instant at, T value, PrometheusException failure) {

        T answer() {
            if (failure != null) {
                throw failure;
            }
            return value;
        }
    }
}
