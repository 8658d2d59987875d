package io.rinpoche.deploy;

import io.micrometer.core.instrument.MeterRegistry;
import io.rinpoche.deploy.hook.HookIntake;
import io.rinpoche.deploy.hook.HookProperties;
import io.rinpoche.deploy.hook.HookSources;
import io.rinpoche.deploy.metrics.HookMetrics;
import io.rinpoche.deploy.policy.Policy;
import io.rinpoche.deploy.policy.PolicyProperties;
import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the steps together. Sources and rules are validated here, while the context starts: a bad
 * one stops start-up with a message naming it instead of surfacing at the first hook. The queue the
 * plans go to, the engine and the API are wired in {@code apply} and {@code web.api}.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({HookProperties.class, PolicyProperties.class})
public class DeployServiceConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    HookSources hookSources(HookProperties properties, Clock clock) {
        return new HookSources(properties, clock);
    }

    @Bean
    HookIntake hookIntake(HookSources sources) {
        return new HookIntake(sources);
    }

    @Bean
    Policy policy(PolicyProperties properties, HookSources sources) {
        return Policy.of(properties.rules(), sources.names());
    }

    @Bean
    HookMetrics hookMetrics(MeterRegistry registry, HookSources sources) {
        return new HookMetrics(registry, sources.names());
    }
}
