package io.rinpoche.deploy.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The hook counter as Prometheus sees it: {@code rinpoche_hooks_total{source,outcome}}. */
class HookMetricsTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final HookMetrics metrics = new HookMetrics(registry, Set.of("registry"));

    @Test
    void countsBySourceAndOutcomeUnderThePrometheusName() {
        metrics.record("registry", HookOutcome.ACCEPTED);
        metrics.record("registry", HookOutcome.ACCEPTED);
        metrics.record("registry", HookOutcome.TOO_LARGE);

        assertThat(registry.scrape())
                .contains("# TYPE rinpoche_hooks_total counter")
                .contains("rinpoche_hooks_total{outcome=\"accepted\",source=\"registry\"} 2.0")
                .contains("rinpoche_hooks_total{outcome=\"too_large\",source=\"registry\"} 1.0");
    }

    @Test
    void unconfiguredSourcesShareOneSeries() {
        metrics.record("made-up-1", HookOutcome.UNKNOWN_SOURCE);
        metrics.record("made-up-2", HookOutcome.UNKNOWN_SOURCE);
        metrics.record(null, HookOutcome.UNKNOWN_SOURCE);

        assertThat(registry.scrape())
                .contains("rinpoche_hooks_total{outcome=\"unknown_source\",source=\"unknown\"} 3.0")
                .doesNotContain("made-up");
    }
}
