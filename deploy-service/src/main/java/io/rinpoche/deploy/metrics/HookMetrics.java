package io.rinpoche.deploy.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Set;

/**
 * Counts hook requests by source and outcome. Micrometer's {@code rinpoche.hooks} counter is
 * exported to Prometheus as {@code rinpoche_hooks_total}. Both tags have few values: a request for
 * an unconfigured source counts under {@code source="unknown"}, so callers cannot create series.
 */
public final class HookMetrics {

    static final String NAME = "rinpoche.hooks";
    static final String UNKNOWN = "unknown";
    private final MeterRegistry registry;
    private final Set<String> sources;

    public HookMetrics(MeterRegistry registry, Set<String> sources) {
        this.registry = registry;
        this.sources = Set.copyOf(sources);
    }

    /** Counts one request; {@code source} may be anything the caller sent. */
    public void record(String source, HookOutcome outcome) {
        Counter.builder(NAME)
                .description("Registry hook requests received, by source and outcome")
                .tag("source", source != null && sources.contains(source) ? source : UNKNOWN)
                .tag("outcome", outcome.tag())
                .register(registry)
                .increment();
    }
}
