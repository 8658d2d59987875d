package io.rinpoche.deploy.web.dashboard;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * An in-JVM stand-in for Prometheus' {@code /api/v1/query_range}, {@code /api/v1/query} and {@code /api/v1/alerts},
 * for the dashboard's Spring tests (PlatformUpIT reads the real one): a matrix with a series per environment over the
 * asked range, shaped as the real API answers; an app's figures, worse now than before its deploy (a query at an
 * earlier time): 2.1 % errors and 0.123 s p95 now, 0.4 % and 0.080 s before.
 */
final class FakePrometheus implements AutoCloseable {

    /** /api/v1/alerts as Prometheus 2.53 answers it: one alert firing, one pending (not yet an alert). */
    static final String ALERTS = """
            {"status":"success","data":{"alerts":[
             {"labels":{"alertname":"DeployFailed","environment":"staging","outcome":"rolled_back","service":"app","severity":"warning"},
              "annotations":{"summary":"A deploy of staging/app ended rolled_back"},"state":"firing",
              "activeAt":"2026-11-26T14:02:03.123456789Z","value":"1e+00"},
             {"labels":{"alertname":"TargetDown","instance":"staging-redis-exporter:9121","job":"redis","severity":"warning"},
              "annotations":{"summary":"redis is down"},"state":"pending","activeAt":"2026-11-26T14:03:00Z","value":"0e+00"}]}}
            """;

    private final HttpServer server;
    private volatile boolean down;

    FakePrometheus() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/query_range", exchange -> unlessDown(exchange, this::answer));
        server.createContext("/api/v1/query", exchange -> unlessDown(exchange, this::instant));
        server.createContext("/api/v1/alerts", exchange -> unlessDown(exchange, e -> send(e, ALERTS)));
        server.start();
    }

    /** While down, every query gets 503, as from a Prometheus that is starting or overloaded. */
    void down(boolean down) {
        this.down = down;
    }

    private void unlessDown(HttpExchange exchange, HttpHandler handler) throws IOException {
        if (down) {
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
        } else {
            handler.handle(exchange);
        }
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void answer(HttpExchange exchange) throws IOException {
        Map<String, String> params = params(exchange.getRequestURI().getRawQuery());
        StringJoiner result = new StringJoiner(",");
        result.add(series("production", params, 3)).add(series("staging", params, 1));
        send(exchange, "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[" + result + "]}}");
    }

    private void instant(HttpExchange exchange) throws IOException {
        Map<String, String> params = params(exchange.getRequestURI().getRawQuery());
        // Prometheus takes the time as Unix seconds with a fraction, as the client sends it.
        long at = (long) Double.parseDouble(params.get("time"));
        boolean before = at < System.currentTimeMillis() / 1000 - 5;
        boolean latency = params.get("query").startsWith("histogram_quantile");
        double value = latency ? (before ? 0.080 : 0.123) : (before ? 0.004 : 0.021);
        send(exchange, String.format(Locale.ROOT, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\","
                + "\"result\":[{\"metric\":{},\"value\":[%d,\"%s\"]}]}}", at, value));
    }

    private static void send(HttpExchange exchange, String answer) throws IOException {
        byte[] body = answer.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    // A wave around `level`, one value per step, so a chart has something to draw.
    private static String series(String environment, Map<String, String> params, double level) {
        long start = Long.parseLong(params.get("start"));
        long end = Long.parseLong(params.get("end"));
        long step = Long.parseLong(params.get("step"));
        StringJoiner values = new StringJoiner(",");
        for (long t = start, i = 0; t <= end; t += step, i++) {
            values.add(String.format(Locale.ROOT, "[%d,\"%.3f\"]", t, level + level * Math.sin(i / 3.0) / 2));
        }
        return "{\"metric\":{\"environment\":\"" + environment + "\"},\"values\":[" + values + "]}";
    }

    private static Map<String, String> params(String query) {
        Map<String, String> params = new HashMap<>();
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            params.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return params;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
