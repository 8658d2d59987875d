package io.rinpoche.deploy.prometheus;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalDouble;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Prometheus' HTTP API (https://prometheus.io/docs/prometheus/latest/querying/api/) as both the dashboard and the
 * analysis after a deploy ask it: a GET with a timeout, and the {@code data} of a successful answer. Every failure,
 * an unreadable answer included, is a {@link PrometheusException} naming the server.
 */
public final class PrometheusApi {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final URI base;
    private final HttpClient http;
    private final Duration timeout;

    public PrometheusApi(URI base, Duration timeout) {
        this.base = base;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** The first value of the instant query at {@code at}; empty when it yields no series or NaN. */
    public OptionalDouble instant(String query, Instant at) {
        JsonNode data = data(get("/api/v1/query?query=" + encode(query) + "&time=" + at.getEpochSecond() + "."
                + String.format("%03d", at.getNano() / 1_000_000)), "vector");
        for (JsonNode result : data.path("result")) {
            double value = number(result.path("value").get(1).asString());
            return Double.isNaN(value) ? OptionalDouble.empty() : OptionalDouble.of(value);
        }
        return OptionalDouble.empty();
    }

    /** The {@code data} of a range query: its {@code result} holds one matrix entry per series. */
    public JsonNode range(String query, Instant start, Instant end, Duration step) {
        return data(get("/api/v1/query_range?query=" + encode(query) + "&start=" + start.getEpochSecond() + "&end="
                + end.getEpochSecond() + "&step=" + step.toSeconds()), "matrix");
    }

    /** The {@code data} of a path that answers no query result, such as {@code /api/v1/alerts}. */
    public JsonNode read(String path) {
        return data(get(path), null);
    }

    /** Prometheus writes special values as NaN, +Inf, -Inf; Java reads only the first as such. */
    public static double number(String text) {
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(text);
        };
    }

    private JsonNode data(String body, String resultType) {
        try {
            JsonNode root = JSON.readTree(body);
            JsonNode data = root.path("data");
            if ("success".equals(root.path("status").asString(""))
                    && (resultType == null || resultType.equals(data.path("resultType").asString("")))) {
                return data;
            }
        } catch (RuntimeException e) {
            // Jackson's exceptions are unchecked; an unparsable body is the same fault as an unexpected one.
        }
        throw new PrometheusException("Prometheus at " + base + " answered no " + (resultType == null ? "data"
                : resultType) + ": " + abbreviate(body));
    }

    private String get(String pathAndQuery) {
        URI uri = base.resolve(pathAndQuery);
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new PrometheusException("Prometheus at " + base + " answered " + response.statusCode() + " to "
                        + uri.getPath() + ": " + abbreviate(response.body()));
            }
            return response.body();
        } catch (IOException e) {
            throw new PrometheusException("Prometheus at " + base + " is unreachable: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PrometheusException("interrupted while asking Prometheus at " + base, e);
        }
    }

    private static String encode(String query) {
        return URLEncoder.encode(query, StandardCharsets.UTF_8);
    }

    private static String abbreviate(String text) {
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }
}
