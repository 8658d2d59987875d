package io.rinpoche.deploy.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.rinpoche.deploy.model.Environment;
import io.rinpoche.deploy.model.ServiceName;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The queries against an in-JVM server answering as Prometheus' HTTP API does; the IT has the real one. */
class PrometheusEdgeMetricsTest {

    private static final Instant END = Instant.parse("2026-11-26T19:02:00Z");

    private HttpServer server;
    private final List<String> queries = new CopyOnWriteArrayList<>();
    private volatile String requests = "[{\"metric\":{},\"value\":[1764183720,\"1000\"]}]";
    private volatile String errors = "[{\"metric\":{},\"value\":[1764183720,\"212.5\"]}]";
    private volatile String p95 = "[{\"metric\":{},\"value\":[1764183720,\"0.095\"]}]";
    private volatile int status = 200;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/query", exchange -> {
            String query = URLDecoder.decode(exchange.getRequestURI().getRawQuery(), StandardCharsets.UTF_8);
            queries.add(query);
            String result = query.contains("histogram_quantile") ? p95 : query.contains("status=~") ? errors : requests;
            byte[] body = ("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":" + result + "}}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void asksForTheContractsSeriesOfTheAppOverTheWindowAtItsEnd() {
        EdgeFigures figures = metrics().figures(Environment.of("production"), ServiceName.of("hello-django"),
                END.minusSeconds(120), END);

        assertThat(figures).isEqualTo(new EdgeFigures(120, 1000, 212.5, 0.095));
        assertThat(queries).containsExactly(
                "query=sum(increase(rinpoche_edge_requests_total{environment=\"production\",app=\"hello-django\"}[120s]))"
                        + "&time=" + END.getEpochSecond() + ".000",
                "query=sum(increase(rinpoche_edge_requests_total{environment=\"production\",app=\"hello-django\","
                        + "status=~\"5..\"}[120s]))&time=" + END.getEpochSecond() + ".000",
                "query=histogram_quantile(0.95, sum by (le) (increase(rinpoche_edge_request_duration_seconds_bucket"
                        + "{environment=\"production\",app=\"hello-django\"}[120s])))&time=" + END.getEpochSecond() + ".000");
    }

    @Test
    void noSeriesYetIsNoRequestAndNoP95() {
        requests = "[]";
        errors = "[]";
        p95 = "[]";

        EdgeFigures figures = metrics().figures(Environment.of("staging"), ServiceName.of("shop"), END.minusSeconds(60), END);

        assertThat(figures.requests()).isZero();
        assertThat(figures.errorShare()).isZero();
        assertThat(figures.p95()).isNaN();
    }

    @Test
    void prometheusSpecialValuesAreRead() {
        p95 = "[{\"metric\":{},\"value\":[1764183720,\"+Inf\"]}]";
        assertThat(metrics().figures(Environment.of("staging"), ServiceName.of("shop"), END.minusSeconds(60), END).p95())
                .isInfinite();
        p95 = "[{\"metric\":{},\"value\":[1764183720,\"NaN\"]}]";
        assertThat(metrics().figures(Environment.of("staging"), ServiceName.of("shop"), END.minusSeconds(60), END).p95())
                .isNaN();
    }

    @Test
    void anErrorStatusOrNoPrometheusIsAnExceptionThatSaysSo() {
        status = 503;
        assertThatThrownBy(() -> metrics().figures(Environment.of("staging"), ServiceName.of("shop"), END.minusSeconds(60), END))
                .isInstanceOf(EdgeMetricsException.class).hasMessageContaining("answered 503");
        int port = server.getAddress().getPort();
        server.stop(0);
        assertThatThrownBy(() -> new PrometheusEdgeMetrics(URI.create("http://127.0.0.1:" + port), Duration.ofSeconds(2))
                .figures(Environment.of("staging"), ServiceName.of("shop"), END.minusSeconds(60), END))
                .isInstanceOf(EdgeMetricsException.class).hasMessageContaining("is unreachable");
    }

    private PrometheusEdgeMetrics metrics() {
        return new PrometheusEdgeMetrics(URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
                Duration.ofSeconds(2));
    }
}
