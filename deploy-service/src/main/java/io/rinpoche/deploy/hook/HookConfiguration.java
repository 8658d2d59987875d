package io.rinpoche.deploy.hook;

import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The hook sources and the intake. Sources are validated while the context starts: a bad one stops start-up
 * with a message naming it instead of surfacing at the first hook.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(HookProperties.class)
public class HookConfiguration {

    @Bean
    HookSources hookSources(HookProperties properties, Clock clock) {
        return new HookSources(properties, clock);
    }

    @Bean
    HookIntake hookIntake(HookSources sources) {
        return new HookIntake(sources);
    }
}
