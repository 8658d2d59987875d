package io.rinpoche.deploy.prometheus;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * An in-JVM server on the loopback answering Prometheus' API paths with what a test sets, for the unit tests of
 * the code that queries Prometheus (the ITs and PlatformUpIT query a real one). It keeps every request it got.
 */
public final class PrometheusStub implements AutoCloseable {

    private final HttpServer server;
    private final List<URI> asked = new CopyOnWriteArrayList<>();
    private volatile Function<URI, String> answer = uri -> "{\"status\":\"success\",\"data\":{}}";
    private volatile int status = 200;

    public PrometheusStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        for (String path : List.of("/api/v1/query_range", "/api/v1/query", "/api/v1/alerts")) {
            server.createContext(path, exchange -> {
                asked.add(exchange.getRequestURI());
                byte[] body = answer.apply(exchange.getRequestURI()).getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(status, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
        }
        server.start();
    }

    /** An instant query's answer: one series with {@code value}, or none when {@code value} is null. */
    public static String vector(String value) {
        return "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
                + (value == null ? "" : "{\"metric\":{},\"value\":[1764183720,\"" + value + "\"]}") + "]}}";
    }

    public PrometheusStub answering(String body) {
        return answering(uri -> body);
    }

    public PrometheusStub answering(Function<URI, String> answer) {
        this.answer = answer;
        return this;
    }

    public PrometheusStub status(int status) {
        this.status = status;
        return this;
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The requests so far. */
    public List<URI> asked() {
        return asked;
    }

    /** The decoded query strings of the requests so far. */
    public List<String> queries() {
        return asked.stream().map(uri -> URLDecoder.decode(uri.getRawQuery(), StandardCharsets.UTF_8)).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
