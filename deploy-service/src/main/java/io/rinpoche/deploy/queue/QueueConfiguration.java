package io.rinpoche.deploy.queue;

import io.rinpoche.deploy.history.DeploymentHistory;
import io.rinpoche.deploy.metrics.DeploymentMetrics;
import io.rinpoche.deploy.rollout.RolloutEngine;
import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The queue every deploy goes through: the scheduler, rolling with the configured engine into the history. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(QueueProperties.class)
public class QueueConfiguration {

    @Bean(destroyMethod = "close")
    RolloutScheduler rolloutScheduler(RolloutEngine engine, DeploymentHistory history, DeploymentMetrics metrics,
                                      Clock clock, QueueProperties properties) {
        return new RolloutScheduler(engine, history, metrics, clock, properties);
    }
}
