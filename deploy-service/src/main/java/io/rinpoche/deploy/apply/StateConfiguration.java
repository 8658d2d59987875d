package io.rinpoche.deploy.apply;

import io.rinpoche.deploy.metrics.DeploymentMetrics;
import io.rinpoche.deploy.rollout.RolloutEngine;
import io.rinpoche.deploy.state.GitDeploymentHistory;
import io.rinpoche.deploy.state.StateProperties;
import io.rinpoche.deploy.state.StateRepository;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The desired state in git (the default): the state repository, the history that commits to it, and the
 * reconcile loop that converges the running services to it.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(StateProperties.class)
@ConditionalOnProperty(name = "rinpoche.state.store", havingValue = "git", matchIfMissing = true)
public class StateConfiguration {

    @Bean(destroyMethod = "close")
    StateRepository stateRepository(StateProperties properties) {
        return StateRepository.open(properties.directory(), properties.remote().create());
    }

    @Bean
    GitDeploymentHistory deploymentHistory(StateRepository state) {
        return new GitDeploymentHistory(state);
    }

    // Started here, before the web server takes requests: recovery must not meet a rollout in progress.
    @Bean(destroyMethod = "close")
    Reconciler reconciler(StateRepository state, GitDeploymentHistory history, RolloutEngine engine,
                          RolloutScheduler scheduler, ApplyProperties apply, StateProblems problems,
                          StateProperties properties, DeploymentMetrics metrics) {
        Reconciler reconciler = new Reconciler(state, history, engine, scheduler, apply.environments(), problems,
                metrics);
        reconciler.start(properties.reconcileInterval());
        return reconciler;
    }
}
