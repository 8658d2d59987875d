package io.rinpoche.deploy.requests;

import io.rinpoche.deploy.hook.HookSources;
import io.rinpoche.deploy.policy.Policy;
import io.rinpoche.deploy.policy.PolicyProperties;
import java.util.Set;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The rules hook deliveries go by, compiled while the context starts against the configured hook sources: a bad
 * rule stops start-up with a message naming it instead of surfacing at the first hook. Wired here, where hooks
 * and the policy meet, so that neither package knows the other.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(PolicyProperties.class)
public class PolicyConfiguration {

    @Bean
    Policy policy(PolicyProperties properties, HookSources sources) {
        return Policy.of(properties.rules(), sources.names(), Set.copyOf(properties.forwardOnlyEnvironments()));
    }
}
