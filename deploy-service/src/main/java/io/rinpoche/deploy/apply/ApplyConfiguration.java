package io.rinpoche.deploy.apply;

import io.micrometer.core.instrument.MeterRegistry;
import io.rinpoche.deploy.history.DeploymentHistory;
import io.rinpoche.deploy.history.InMemoryDeploymentHistory;
import io.rinpoche.deploy.metrics.DeploymentMetrics;
import io.rinpoche.deploy.rollout.RolloutEngine;
import io.rinpoche.deploy.state.GitDeploymentHistory;
import io.rinpoche.deploy.state.StateRepository;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The queue hooks and the API feed, the history it writes, and what the API reads. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ApplyProperties.class)
public class ApplyConfiguration {

    // rinpoche.state.store=memory: tests of everything but the state; StateConfiguration has the git one.
    @Bean
    @ConditionalOnProperty(name = "rinpoche.state.store", havingValue = "memory")
    DeploymentHistory deploymentHistory(ApplyProperties properties) {
        return new InMemoryDeploymentHistory(properties.historySize());
    }

    @Bean
    StateProblems stateProblems() {
        return new StateProblems();
    }

    @Bean
    DeploymentMetrics deploymentMetrics(MeterRegistry registry) {
        return new DeploymentMetrics(registry);
    }

    @Bean(destroyMethod = "close")
    RolloutScheduler rolloutScheduler(RolloutEngine engine, DeploymentHistory history, DeploymentMetrics metrics,
                                      Clock clock, ApplyProperties properties) {
        return new RolloutScheduler(engine, history, metrics, clock, properties);
    }

    @Bean
    Environments environments(ApplyProperties properties, RolloutEngine engine, StateProblems problems) {
        return new Environments(properties.environments(), engine, problems);
    }

    @Bean
    Rollbacks rollbacks(DeploymentHistory history) {
        return new Rollbacks(history);
    }

    @Bean
    DesiredState desiredState(ObjectProvider<StateRepository> state, ObjectProvider<GitDeploymentHistory> history,
                              Environments environments) {
        return new DesiredState(state.getIfAvailable(), history.getIfAvailable(), environments);
    }
}
