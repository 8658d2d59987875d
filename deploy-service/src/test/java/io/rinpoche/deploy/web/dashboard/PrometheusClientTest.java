package io.rinpoche.deploy.web.dashboard;

import io.rinpoche.deploy.prometheus.PrometheusException;
import io.rinpoche.deploy.prometheus.PrometheusStub;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Prometheus client against a tiny in-JVM HTTP server answering as Prometheus' API does, and unreachable. */
class PrometheusClientTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC);
    private static final String MATRIX = """
            {"status":"success","data":{"resultType":"matrix","result":[
              {"metric":{"environment":"production","job":"nginx"},"values":[[1764068400,"1.5"],[1764068460,"2.25"]]},
              {"metric":{"environment":"staging","job":"nginx"},"values":[[1764068400,"0"],[1764068460,"NaN"]]}]}}
            """;

    private final PrometheusStub prometheus = new PrometheusStub().answering(MATRIX);
    private final List<URI> asked = prometheus.asked();

    PrometheusClientTest() throws IOException {
    }

    @AfterEach
    void stop() {
        prometheus.close();
    }

    private PrometheusClient client(Duration cacheFor) {
        return new PrometheusClient(prometheus.uri(), Duration.ofSeconds(2), cacheFor, CLOCK);
    }

    @Test
    void readsAMatrixWithLabelsAndNaN() {
        List<Series> series = client(Duration.ZERO).queryRange(Charts.REQUESTS, Duration.ofHours(1),
                Duration.ofMinutes(1));

        assertThat(series).hasSize(2);
        assertThat(series.get(0).label("environment", "?")).isEqualTo("production");
        assertThat(series.get(0).points()).containsExactly(new Series.Point(1764068400, 1.5),
                new Series.Point(1764068460, 2.25));
        assertThat(series.get(1).points().get(1).value()).isNaN();
        URI uri = asked.get(0);
        assertThat(uri.getRawQuery()).contains("query=" + URLEncoder.encode(Charts.REQUESTS, StandardCharsets.UTF_8))
                .contains("start=" + (CLOCK.instant().getEpochSecond() - 3600))
                .contains("end=" + CLOCK.instant().getEpochSecond()).contains("step=60");
    }

    @Test
    void keepsAnswersForTheCacheTime() {
        PrometheusClient client = client(Duration.ofSeconds(10));
        client.queryRange("up", Duration.ofHours(1), Duration.ofMinutes(1));
        client.queryRange("up", Duration.ofHours(1), Duration.ofMinutes(1));
        assertThat(asked).hasSize(1);
        client.queryRange("other", Duration.ofHours(1), Duration.ofMinutes(1));
        assertThat(asked).hasSize(2);
    }

    @Test
    void chartsDrawTheSeriesScaledIntoTheBox() {
        Chart chart = Chart.lines("requests", "req/s", client(Duration.ZERO).queryRange("x", Duration.ofHours(1),
                Duration.ofMinutes(1)), "environment", "none");

        assertThat(chart.lines()).extracting(Chart.Line::label).containsExactly("production", "staging");
        assertThat(chart.lines().get(0).points()).isEqualTo("0.0,21.3 300.0,2.0");
        assertThat(chart.lines().get(0).latest()).isEqualTo("2.25");
        assertThat(chart.lines().get(1).latest()).isEqualTo("n/a");
        assertThat(chart.note()).isNull();
    }

    @Test
    void anErrorAnswerOrABodyThatIsNoMatrixIsUnavailable() {
        prometheus.status(400).answering("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"parse error\"}");
        assertThatThrownBy(() -> client(Duration.ZERO).queryRange("up{", Duration.ofHours(1), Duration.ofMinutes(1)))
                .isInstanceOf(PrometheusException.class).hasMessageContaining("answered 400");
        prometheus.status(200).answering("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}");
        assertThatThrownBy(() -> client(Duration.ZERO).queryRange("up", Duration.ofHours(1), Duration.ofMinutes(1)))
                .isInstanceOf(PrometheusException.class).hasMessageContaining("no matrix");
    }

    @Test
    void listsTheFiringAlertsNotThePendingOnes() {
        prometheus.answering(FakePrometheus.ALERTS);

        assertThat(client(Duration.ZERO).firingAlerts()).singleElement().satisfies(alert -> {
            assertThat(alert.name()).isEqualTo("DeployFailed");
            assertThat(alert.severity()).isEqualTo("warning");
            assertThat(alert.summary()).isEqualTo("A deploy of staging/app ended rolled_back");
            assertThat(alert.where()).containsExactly(Map.entry("environment", "staging"), Map.entry("outcome", "rolled_back"),
                    Map.entry("service", "app"));
            assertThat(alert.since()).isEqualTo(Instant.parse("2026-11-26T14:02:03.123456789Z"));
        });
        assertThat(asked).extracting(URI::getPath).containsExactly("/api/v1/alerts");
    }

    @Test
    void alertsThatAreNoAlertsAreUnavailable() {
        prometheus.answering(MATRIX);
        assertThatThrownBy(() -> client(Duration.ZERO).firingAlerts()).isInstanceOf(PrometheusException.class)
                .hasMessageContaining("no alerts");
        prometheus.answering("{\"status\":\"success\",\"data\":{\"alerts\":[{\"state\":\"firing\",\"activeAt\":\"yesterday\"}]}}");
        assertThatThrownBy(() -> client(Duration.ZERO).firingAlerts()).isInstanceOf(PrometheusException.class)
                .hasMessageContaining("cannot read Prometheus' answer to /api/v1/alerts");
        assertThat(new Charts(client(Duration.ZERO)).alerts()).isEmpty();
    }

    @Test
    void unreachableIsUnavailableAndTheChartsAreLeftOut() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        PrometheusClient client = new PrometheusClient(URI.create("http://127.0.0.1:" + port),
                Duration.ofMillis(500), Duration.ofSeconds(10), CLOCK);

        assertThatThrownBy(() -> client.queryRange("up", Duration.ofHours(1), Duration.ofMinutes(1)))
                .isInstanceOf(PrometheusException.class).hasMessageContaining("unreachable");
        assertThat(new Charts(client).all()).isEmpty();
    }

    @Test
    void reachableGivesAllFiveChartsAndSaysWhenNoAppHadRequests() {
        prometheus.answering("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]}}");
        List<Chart> charts = new Charts(client(Duration.ZERO)).all();

        assertThat(charts).hasSize(5);
        assertThat(charts.get(3).note()).isEqualTo("no requests to an app in the last hour");
        assertThat(asked).extracting(URI::getQuery).anySatisfy(q -> assertThat(q).contains("rinpoche_deployments_total"))
                .anySatisfy(q -> assertThat(q).contains("rinpoche_deployment_duration_seconds_bucket"))
                .anySatisfy(q -> assertThat(q).contains("rinpoche_edge_requests_total"))
                .anySatisfy(q -> assertThat(q).contains("rinpoche_edge_request_duration_seconds_bucket"));
    }

    @Test
    void anInstantQueryGivesItsValueAndNothingForNaN() {
        prometheus.answering(PrometheusStub.vector("0.25"));
        assertThat(client(Duration.ZERO).queryAt("up", java.time.Instant.ofEpochSecond(1764165600))).hasValue(0.25);
        assertThat(asked.get(asked.size() - 1).getQuery()).contains("time=1764165600");

        prometheus.answering(PrometheusStub.vector("NaN"));
        assertThat(client(Duration.ZERO).queryAt("up", java.time.Instant.ofEpochSecond(1764165601))).isEmpty();
    }
}
