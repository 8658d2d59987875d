package io.rinpoche.deploy.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.rinpoche.deploy.model.Environment;
import io.rinpoche.deploy.model.ServiceName;
import java.util.List;

/**
 * {@code rinpoche_deploy_analyses_total{environment,service,verdict}}: finished analyses after a deploy, by verdict
 * ({@code passed}, {@code rolled_back}, {@code not_analysed}). The alert rules fire on {@code rolled_back}.
 */
public final class AnalysisMetrics {

    static final String ANALYSES = "rinpoche.deploy.analyses";
    /** The verdicts, as label values. */
    public static final List<String> VERDICTS = List.of("passed", "rolled_back", "not_analysed");

    private final MeterRegistry registry;

    public AnalysisMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /**
     * Makes the service's series exist at 0 when its analysis starts: {@code increase()} sees nothing of the sample a
     * series is born with, so a series born at 1 would hide the first rollback from the alert.
     */
    public void track(Environment environment, ServiceName service) {
        VERDICTS.forEach(verdict -> counter(environment, service, verdict));
    }

    /** An analysis ended with {@code verdict}. */
    public void finished(Environment environment, ServiceName service, String verdict) {
        counter(environment, service, verdict).increment();
    }

    private Counter counter(Environment environment, ServiceName service, String verdict) {
        return Counter.builder(ANALYSES)
                .description("Analyses after a deploy, by verdict")
                .tags("environment", environment.name(), "service", service.name(), "verdict", verdict)
                .register(registry);
    }
}
