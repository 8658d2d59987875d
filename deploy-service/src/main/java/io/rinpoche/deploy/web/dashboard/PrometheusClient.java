package io.rinpoche.deploy.web.dashboard;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
import tools.jackson.databind.json.JsonMapper;

/**
 * Range and instant queries and the alerts of Prometheus' HTTP API ({@code /api/v1/query_range}, {@code /api/v1/query},
 * {@code /api/v1/alerts},
 * https://prometheus.io/docs/prometheus/latest/querying/api/). Timeouts are short and answers, failures included,
 * are kept {@code cacheFor}: the page must render fast even when Prometheus is down.
 */
public final class PrometheusClient {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final URI base;
    private final HttpClient http;
    private final Duration timeout;
    private final Duration cacheFor;
    private final Clock clock;
    private final Map<String, Cached<?>> cache = new ConcurrentHashMap<>();

    public PrometheusClient(URI base, Duration timeout, Duration cacheFor, Clock clock) {
        this.base = base;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.timeout = timeout;
        this.cacheFor = cacheFor;
        this.clock = clock;
    }

    /**
     * The series of {@code query} over the last {@code range}, one point each {@code step}.
     *
     * @throws PrometheusUnavailableException when Prometheus does not answer with a matrix
     */
    public List<Series> queryRange(String query, Duration range, Duration step) {
        return cached(query + "|" + range + "|" + step, "answer", now -> parse(get("/api/v1/query_range?query="
                + URLEncoder.encode(query, StandardCharsets.UTF_8) + "&start=" + now.minus(range).getEpochSecond()
                + "&end=" + now.getEpochSecond() + "&step=" + step.toSeconds())));
    }

    /**
     * The first value of the instant query {@code query} at {@code at}; empty when it has no result (or NaN: no
     * requests in the window).
     *
     * @throws PrometheusUnavailableException when Prometheus does not answer with a vector
     */
    public OptionalDouble queryAt(String query, Instant at) {
        return cached(query + "@" + at.getEpochSecond(), "answer", now -> parseVector(get("/api/v1/query?query="
                + URLEncoder.encode(query, StandardCharsets.UTF_8) + "&time=" + at.getEpochSecond())));
    }

    /**
     * The alerts that are firing now (pending ones are not yet alerts), as the rules of Prometheus say.
     *
     * @throws PrometheusUnavailableException when Prometheus does not answer with its alerts
     */
    public List<FiringAlert> firingAlerts() {
        return cached("/api/v1/alerts", "alerts", now -> FiringAlert.parse(get("/api/v1/alerts")));
    }

    /** The answer under {@code key}, fetched again once older than cacheFor; failures are kept as long. */
    @SuppressWarnings("unchecked")
    private <T> T cached(String key, String what, Function<Instant, T> fetch) {
        Instant now = clock.instant();
        Cached<?> cached = cache.get(key);
        if (cached == null || cached.at().plus(cacheFor).isBefore(now)) {
            try {
                cached = new Cached<>(now, fetch.apply(now), null);
            } catch (PrometheusUnavailableException e) {
                cached = new Cached<>(now, null, e);
            } catch (RuntimeException e) {
                // Jackson's exceptions are unchecked; a missing, non-numeric or unparsable value is one too.
                cached = new Cached<>(now, null, new PrometheusUnavailableException("cannot read Prometheus' " + what + ": "
                        + e.getMessage(), e));
            }
            cache.put(key, cached);
        }
        return (T) cached.answer();
    }

    private String get(String pathAndQuery) {
        URI uri = base.resolve(pathAndQuery);
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new PrometheusUnavailableException("Prometheus at " + base + " answered " + response.statusCode()
                        + " to " + uri.getPath());
            }
            return response.body();
        } catch (IOException e) {
            throw new PrometheusUnavailableException("Prometheus at " + base + " is unreachable: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PrometheusUnavailableException("interrupted while querying Prometheus at " + base, e);
        }
    }

    /** {@code {"status":"success","data":{"resultType":"matrix","result":[{"metric":{...},"values":[[t,"v"]]}]}}}. */
    static List<Series> parse(String body) {
        JsonNode root = JSON.readTree(body);
        JsonNode data = root.path("data");
        if (!"success".equals(root.path("status").asString("")) || !"matrix".equals(data.path("resultType").asString(""))) {
            throw new PrometheusUnavailableException("Prometheus answered no matrix: " + abbreviate(body));
        }
        List<Series> series = new ArrayList<>();
        for (JsonNode result : data.path("result")) {
            Map<String, String> labels = new LinkedHashMap<>();
            result.path("metric").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asString("")));
            List<Series.Point> points = new ArrayList<>();
            for (JsonNode value : result.path("values")) {
                points.add(new Series.Point(value.get(0).asLong(), Double.parseDouble(value.get(1).asString())));
            }
            series.add(new Series(labels, points));
        }
        return series;
    }

    /** {@code {"status":"success","data":{"resultType":"vector","result":[{"metric":{...},"value":[t,"v"]}]}}}. */
    static OptionalDouble parseVector(String body) {
        JsonNode root = JSON.readTree(body);
        JsonNode data = root.path("data");
        if (!"success".equals(root.path("status").asString("")) || !"vector".equals(data.path("resultType").asString(""))) {
            throw new PrometheusUnavailableException("Prometheus answered no vector: " + abbreviate(body));
        }
        for (JsonNode result : data.path("result")) {
            double value = Double.parseDouble(result.path("value").get(1).asString());
            return Double.isNaN(value) ? OptionalDouble.empty() : OptionalDouble.of(value);
        }
        return OptionalDouble.empty();
    }

    static String abbreviate(String body) {
        return body.length() > 200 ? body.substring(0, 200) + "..." : body;
    }

    private record Cached<T>(Instant at, T value, PrometheusUnavailableException failure) {

        T answer() {
            if (failure != null) {
                throw failure;
            }
            return value;
        }
    }
}
