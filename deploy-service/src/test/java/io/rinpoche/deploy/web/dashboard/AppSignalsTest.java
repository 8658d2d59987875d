package io.rinpoche.deploy.web.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.rinpoche.deploy.prometheus.PrometheusStub;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** An app's figures: one app of one environment, this version's window (1 min to 1 h) and the hour before its deploy. */
class AppSignalsTest {

    private static final Instant NOW = Instant.parse("2026-11-26T15:00:00Z");
    private final PrometheusStub prometheus = new PrometheusStub().answering(uri -> PrometheusStub.vector(
            uri.getRawQuery().contains("histogram_quantile") ? "0.25" : "NaN"));
    private final AppSignals signals = new AppSignals(new PrometheusClient(prometheus.uri(), Duration.ofSeconds(2),
            Duration.ZERO, Clock.fixed(NOW, ZoneOffset.UTC)), Clock.fixed(NOW, ZoneOffset.UTC));

    AppSignalsTest() throws IOException {
    }

    @AfterEach
    void stop() {
        prometheus.close();
    }

    @Test
    void aVersionDeployedTwentyMinutesAgoIsJudgedOnThoseMinutesAndTheOldOneOnItsLastHour() {
        Instant deployed = NOW.minus(Duration.ofMinutes(20));
        AppSignals.Figures figures = signals.of("staging", "shop", deployed);

        assertThat(figures).isEqualTo(new AppSignals.Figures("no requests", "0.250 s", "no requests", "0.250 s"));
        String selector = "{environment=\"staging\",app=\"shop\"";
        assertThat(prometheus.queries()).containsExactly(
                "query=sum(increase(rinpoche_edge_requests_total" + selector + ",status=~\"5..\"}[1200s])) / "
                        + "sum(increase(rinpoche_edge_requests_total" + selector + "}[1200s]))&time=" + NOW.getEpochSecond() + ".000",
                "query=histogram_quantile(0.95, sum by (le) (increase(rinpoche_edge_request_duration_seconds_bucket"
                        + selector + "}[1200s])))&time=" + NOW.getEpochSecond() + ".000",
                "query=" + AppSignals.errorQuery("staging", "shop", Duration.ofHours(1)) + "&time=" + deployed.getEpochSecond() + ".000",
                "query=" + AppSignals.p95Query("staging", "shop", Duration.ofHours(1)) + "&time=" + deployed.getEpochSecond() + ".000");
    }

    @Test
    void theWindowIsAtMostAnHourAndAtLeastAMinute() {
        signals.of("production", "shop", NOW.minus(Duration.ofDays(3)));
        signals.of("production", "blog", NOW.minusSeconds(5));

        assertThat(prometheus.queries().get(0)).contains("[3600s]");
        assertThat(prometheus.queries().get(4)).contains("[60s]");
    }
}
