package io.rinpoche.deploy.rollout.compose;

import io.rinpoche.deploy.EngineSetting;
import io.rinpoche.deploy.rollout.registry.RegistryLogin;
import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * The rollout engine when {@code rinpoche.engine} is {@code compose} (the default): the compose engine, on the
 * Docker engine {@code rinpoche.rollout.compose.*} names. Building it sends nothing, so the service starts (and answers hooks and health) while the Docker engine is unreachable;
 * a rollout then fails and is recorded as FAILED.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(EngineSetting.Compose.class)
@EnableConfigurationProperties({ComposeEngineSettings.class, RegistryLogin.class})
public class ComposeConfiguration {

    @Bean(destroyMethod = "close")
    ComposeRolloutEngine rolloutEngine(ComposeEngineSettings settings, RegistryLogin registry, Clock clock) {
        return new ComposeRolloutEngine(settings, registry, clock);
    }
}
