package io.rinpoche.deploy.rollout.swarm;

import io.rinpoche.deploy.EngineSetting;
import io.rinpoche.deploy.rollout.registry.RegistryLogin;
import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * The rollout engine when {@code rinpoche.engine} is {@code swarm}: a swarm manager's Docker engine,
 * {@code rinpoche.rollout.swarm.*}. Building it sends nothing, so the service starts (and answers hooks and health)
 * while the manager is unreachable; a rollout then fails and is recorded as FAILED.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(EngineSetting.Swarm.class)
@EnableConfigurationProperties({SwarmEngineSettings.class, RegistryLogin.class})
public class SwarmConfiguration {

    @Bean(destroyMethod = "close")
    SwarmRolloutEngine rolloutEngine(SwarmEngineSettings settings, RegistryLogin registry, Clock clock) {
        return new SwarmRolloutEngine(settings, registry, clock);
    }
}
