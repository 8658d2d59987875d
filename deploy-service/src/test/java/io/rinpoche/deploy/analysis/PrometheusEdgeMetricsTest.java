package io.rinpoche.deploy.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rinpoche.deploy.model.Environment;
import io.rinpoche.deploy.model.ServiceName;
import io.rinpoche.deploy.prometheus.PrometheusStub;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The queries against an in-JVM server answering as Prometheus' HTTP API does; the IT has the real one. */
class PrometheusEdgeMetricsTest {

    private static final Instant END = Instant.parse("2026-11-26T19:02:00Z");

    private final PrometheusStub prometheus = new PrometheusStub().answering(this::answer);
    private volatile String requests = "1000";
    private volatile String errors = "212.5";
    private volatile String p95 = "0.095";

    PrometheusEdgeMetricsTest() throws IOException {
    }

    private String answer(URI uri) {
        String query = URLDecoder.decode(uri.getRawQuery(), StandardCharsets.UTF_8);
        return PrometheusStub.vector(query.contains("histogram_quantile") ? p95 : query.contains("status=~") ? errors
                : requests);
    }

    @AfterEach
    void stop() {
        prometheus.close();
    }

    @Test
    void asksForTheContractsSeriesOfTheAppOverTheWindowAtItsEnd() {
        EdgeFigures figures = metrics().figures(Environment.of("production"), ServiceName.of("hello-django"),
                END.minusSeconds(120), END);

        assertThat(figures).isEqualTo(new EdgeFigures(120, 1000, 212.5, 0.095));
        assertThat(prometheus.queries()).containsExactly(
                "query=sum(increase(rinpoche_edge_requests_total{environment=\"production\",app=\"hello-django\"}[120s]))"
                        + "&time=" + END.getEpochSecond() + ".000",
                "query=sum(increase(rinpoche_edge_requests_total{environment=\"production\",app=\"hello-django\","
                        + "status=~\"5..\"}[120s]))&time=" + END.getEpochSecond() + ".000",
                "query=histogram_quantile(0.95, sum by (le) (increase(rinpoche_edge_request_duration_seconds_bucket"
                        + "{environment=\"production\",app=\"hello-django\"}[120s])))&time=" + END.getEpochSecond() + ".000");
    }

    @Test
    void noSeriesYetIsNoRequestAndNoP95() {
        requests = null;
        errors = null;
        p95 = null;

        EdgeFigures figures = metrics().figures(Environment.of("staging"), ServiceName.of("shop"), END.minusSeconds(60), END);

        assertThat(figures.requests()).isZero();
        assertThat(figures.errorShare()).isZero();
        assertThat(figures.p95()).isNaN();
    }

    @Test
    void prometheusSpecialValuesAreRead() {
        p95 = "+Inf";
        assertThat(metrics().figures(Environment.of("staging"), ServiceName.of("shop"), END.minusSeconds(60), END).p95())
                .isInfinite();
        p95 = "NaN";
        assertThat(metrics().figures(Environment.of("staging"), ServiceName.of("shop"), END.minusSeconds(60), END).p95())
                .isNaN();
    }

    @Test
    void anErrorStatusOrNoPrometheusIsAnExceptionThatSaysSo() {
        prometheus.status(503);
        assertThatThrownBy(() -> metrics().figures(Environment.of("staging"), ServiceName.of("shop"), END.minusSeconds(60), END))
                .isInstanceOf(EdgeMetricsException.class).hasMessageContaining("answered 503");
        prometheus.close();
        assertThatThrownBy(() -> metrics()
                .figures(Environment.of("staging"), ServiceName.of("shop"), END.minusSeconds(60), END))
                .isInstanceOf(EdgeMetricsException.class).hasMessageContaining("is unreachable");
    }

    private PrometheusEdgeMetrics metrics() {
        return new PrometheusEdgeMetrics(prometheus.uri(), Duration.ofSeconds(2));
    }
}
