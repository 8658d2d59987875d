package io.rinpoche.deploy.analysis;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * nginx's edge metrics as the edge exports them for one app of one environment (the metric contract:
 * {@code rinpoche_edge_requests_total{environment,app,status}} and the histogram
 * {@code rinpoche_edge_request_duration_seconds{environment,app}}), served at {@code /metrics} for a real Prometheus
 * to scrape. A ticker counts {@code perSecond} synthetic requests; {@link #failing} sets the share that end in 500,
 * {@link #slow} moves them from the 50 ms bucket to the 1 s one. Listens on every address: a Prometheus container
 * reaches it through its network's gateway ({@code host.docker.internal}), as the platform's Alertmanager reaches a
 * webhook on the host.
 */
public final class SyntheticEdge implements AutoCloseable {

    private static final double[] BUCKETS = {0.05, 0.1, 0.25, 0.5, 1, 2.5};

    private final String environment;
    private final String app;
    private final HttpServer server;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
    private long ok;
    private long failed;
    private long fast;
    private long slowCount;
    private int failPercent;
    private boolean slow;

    public SyntheticEdge(String environment, String app, int perSecond) throws IOException {
        this.environment = environment;
        this.app = app;
        server = HttpServer.create(new InetSocketAddress(0), 0);
        server.createContext("/metrics", exchange -> {
            byte[] body = exposition().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        ticker.scheduleAtFixedRate(() -> count(Math.max(1, perSecond / 10)), 100, 100, TimeUnit.MILLISECONDS);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** From now on, {@code percent} of the requests end in a 500. */
    public synchronized void failing(int percent) {
        failPercent = percent;
    }

    /** From now on, the requests take about 0.8 s (true) or 30 ms (false). */
    public synchronized void slow(boolean slow) {
        this.slow = slow;
    }

    /** Requests counted so far. */
    public synchronized long requests() {
        return ok + failed;
    }

    private synchronized void count(int requests) {
        for (int i = 0; i < requests; i++) {
            if ((ok + failed) % 100 < failPercent) {
                failed++;
            } else {
                ok++;
            }
            if (slow) {
                slowCount++;
            } else {
                fast++;
            }
        }
    }

    private synchronized String exposition() {
        String labels = "environment=\"" + environment + "\",app=\"" + app + "\"";
        StringBuilder out = new StringBuilder("# TYPE rinpoche_edge_requests_total counter\n");
        out.append("rinpoche_edge_requests_total{").append(labels).append(",status=\"200\"} ").append(ok).append('\n');
        out.append("rinpoche_edge_requests_total{").append(labels).append(",status=\"500\"} ").append(failed).append('\n');
        out.append("# TYPE rinpoche_edge_request_duration_seconds histogram\n");
        for (double le : BUCKETS) {
            long below = (le >= 0.05 ? fast : 0) + (le >= 1 ? slowCount : 0);
            out.append("rinpoche_edge_request_duration_seconds_bucket{").append(labels).append(",le=\"").append(le)
                    .append("\"} ").append(below).append('\n');
        }
        out.append("rinpoche_edge_request_duration_seconds_bucket{").append(labels).append(",le=\"+Inf\"} ")
                .append(fast + slowCount).append('\n');
        out.append("rinpoche_edge_request_duration_seconds_sum{").append(labels).append("} ")
                .append(fast * 0.03 + slowCount * 0.8).append('\n');
        out.append("rinpoche_edge_request_duration_seconds_count{").append(labels).append("} ").append(fast + slowCount)
                .append('\n');
        return out.toString();
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        server.stop(0);
    }
}
