package io.rinpoche.deploy;

import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What every package shares: the clock. Each package wires its own beans ({@code hook.HookConfiguration},
 * {@code queue.QueueConfiguration}, {@code state.StateConfiguration}, {@code rollout.compose.ComposeConfiguration},
 * {@code requests.RequestsConfiguration}, {@code metrics.MetricsConfiguration}, {@code web.api.ApiConfiguration}...).
 */
@Configuration(proxyBeanMethods = false)
public class DeployServiceConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
