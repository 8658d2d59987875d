package io.rinpoche.deploy.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.rinpoche.deploy.hook.HookSources;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The service's own meters. */
@Configuration(proxyBeanMethods = false)
public class MetricsConfiguration {

    @Bean
    DeploymentMetrics deploymentMetrics(MeterRegistry registry) {
        return new DeploymentMetrics(registry);
    }

    @Bean
    AnalysisMetrics analysisMetrics(MeterRegistry registry) {
        return new AnalysisMetrics(registry);
    }

    @Bean
    HookMetrics hookMetrics(MeterRegistry registry, HookSources sources) {
        return new HookMetrics(registry, sources.names());
    }
}
