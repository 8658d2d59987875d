package io.rinpoche.deploy.web.dashboard;

import io.rinpoche.deploy.prometheus.PrometheusException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * An app's error rate (5xx share) and p95 latency at the edge (nginx's {@code rinpoche_edge_*} metrics) for the
 * version it runs, over the last hour or since its deploy if that is shorter, next to the previous version's: the
 * hour before the deploy.
 */
public final class AppSignals {

    private static final Duration HOUR = Duration.ofHours(1);
    private static final Duration SHORTEST = Duration.ofMinutes(1);
    private final PrometheusClient prometheus;
    private final Clock clock;

    public AppSignals(PrometheusClient prometheus, Clock clock) {
        this.prometheus = prometheus;
        this.clock = clock;
    }

    /** The figures, formatted ("2.5 %", "0.120 s", "no requests"). */
    public record Figures(String errorRate, String p95, String previousErrorRate, String previousP95) {
    }

    /**
     * The figures of {@code app} in {@code environment}, running since {@code since}.
     *
     * @throws PrometheusException when Prometheus does not answer
     */
    public Figures of(String environment, String app, Instant since) {
        Instant now = clock.instant();
        Duration running = Duration.between(since, now);
        Duration window = running.compareTo(HOUR) > 0 ? HOUR : running.compareTo(SHORTEST) < 0 ? SHORTEST : running;
        return new Figures(percent(errors(environment, app, window, now)), seconds(p95(environment, app, window, now)),
                percent(errors(environment, app, HOUR, since)), seconds(p95(environment, app, HOUR, since)));
    }

    static String errorQuery(String environment, String app, Duration window) {
        String selector = selector(environment, app);
        return "sum(increase(rinpoche_edge_requests_total{" + selector + ",status=~\"5..\"}[" + window.toSeconds() + "s]))"
                + " / sum(increase(rinpoche_edge_requests_total{" + selector + "}[" + window.toSeconds() + "s]))";
    }

    static String p95Query(String environment, String app, Duration window) {
        return "histogram_quantile(0.95, sum by (le) (increase(rinpoche_edge_request_duration_seconds_bucket{"
                + selector(environment, app) + "}[" + window.toSeconds() + "s])))";
    }

    private OptionalDouble errors(String environment, String app, Duration window, Instant at) {
        return prometheus.queryAt(errorQuery(environment, app, window), at);
    }

    private OptionalDouble p95(String environment, String app, Duration window, Instant at) {
        return prometheus.queryAt(p95Query(environment, app, window), at);
    }

    // Environment and service names are [a-z0-9._-] (ServiceName, Environment): nothing to escape in a label value.
    private static String selector(String environment, String app) {
        return "environment=\"" + environment + "\",app=\"" + app + "\"";
    }

    private static String percent(OptionalDouble share) {
        return share.isPresent() ? String.format(Locale.ROOT, "%.1f %%", share.getAsDouble() * 100) : "no requests";
    }

    private static String seconds(OptionalDouble value) {
        return value.isPresent() ? String.format(Locale.ROOT, "%.3f s", value.getAsDouble()) : "no requests";
    }
}
