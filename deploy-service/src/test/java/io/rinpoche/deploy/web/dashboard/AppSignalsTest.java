package io.rinpoche.deploy.web.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An app's figures: one app of one environment, this version's window (1 min to 1 h) and the hour before its deploy. */
class AppSignalsTest {

    private static final Instant NOW = Instant.parse("2026-11-26T15:00:00Z");
    private final List<String> asked = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private AppSignals signals;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/query", exchange -> {
            asked.add(URLDecoder.decode(exchange.getRequestURI().getRawQuery(), StandardCharsets.UTF_8));
            String value = exchange.getRequestURI().getRawQuery().contains("histogram_quantile") ? "0.25" : "NaN";
            byte[] body = ("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},"
                    + "\"value\":[1,\"" + value + "\"]}]}}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        signals = new AppSignals(new PrometheusClient(URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
                Duration.ofSeconds(2), Duration.ZERO, Clock.fixed(NOW, ZoneOffset.UTC)), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void aVersionDeployedTwentyMinutesAgoIsJudgedOnThoseMinutesAndTheOldOneOnItsLastHour() {
        Instant deployed = NOW.minus(Duration.ofMinutes(20));
        AppSignals.Figures figures = signals.of("staging", "shop", deployed);

        assertThat(figures).isEqualTo(new AppSignals.Figures("no requests", "0.250 s", "no requests", "0.250 s"));
        String selector = "{environment=\"staging\",app=\"shop\"";
        assertThat(asked).containsExactly(
                "query=sum(increase(rinpoche_edge_requests_total" + selector + ",status=~\"5..\"}[1200s])) / "
                        + "sum(increase(rinpoche_edge_requests_total" + selector + "}[1200s]))&time=" + NOW.getEpochSecond(),
                "query=histogram_quantile(0.95, sum by (le) (increase(rinpoche_edge_request_duration_seconds_bucket"
                        + selector + "}[1200s])))&time=" + NOW.getEpochSecond(),
                "query=" + AppSignals.errorQuery("staging", "shop", Duration.ofHours(1)) + "&time=" + deployed.getEpochSecond(),
                "query=" + AppSignals.p95Query("staging", "shop", Duration.ofHours(1)) + "&time=" + deployed.getEpochSecond());
    }

    @Test
    void theWindowIsAtMostAnHourAndAtLeastAMinute() {
        signals.of("production", "shop", NOW.minus(Duration.ofDays(3)));
        signals.of("production", "blog", NOW.minusSeconds(5));

        assertThat(asked.get(0)).contains("[3600s]");
        assertThat(asked.get(4)).contains("[60s]");
    }
}
