package io.rinpoche.deploy.requests;

import io.rinpoche.deploy.history.DeploymentHistory;
import io.rinpoche.deploy.hook.HookIntake;
import io.rinpoche.deploy.hook.HookProperties;
import io.rinpoche.deploy.metrics.DeploymentMetrics;
import io.rinpoche.deploy.metrics.HookMetrics;
import io.rinpoche.deploy.policy.Policy;
import io.rinpoche.deploy.queue.DeployQueue;
import io.rinpoche.deploy.rollout.RolloutEngine;
import io.rinpoche.deploy.state.GitDeploymentHistory;
import io.rinpoche.deploy.state.StateProperties;
import io.rinpoche.deploy.state.StateRepository;
import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The three ways a deploy is asked for - a hook delivery, a person, the reconcile loop - and what they read.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(EnvironmentProperties.class)
public class RequestsConfiguration {

    @Bean
    HookDeliveries hookDeliveries(HookIntake intake, Policy policy, DeployQueue queue, HookMetrics hookMetrics,
                                  DeploymentMetrics deploymentMetrics, HookProperties hooks,
                                  GitDeploymentHistory history, StateRepository state) {
        return new HookDeliveries(intake, policy, queue, hookMetrics, deploymentMetrics, hooks.rememberedEvents(),
                history.acceptedHookEvents(hooks.rememberedEvents()),
                (environment, service) -> state.pins(environment).pin(service));
    }

    @Bean
    ManualRequests manualRequests(DeployQueue queue, Environments environments, DeploymentHistory history,
                                  DesiredState desired) {
        return new ManualRequests(queue, environments, new Rollbacks(history), desired);
    }

    @Bean
    StateProblems stateProblems() {
        return new StateProblems();
    }

    @Bean
    Environments environments(EnvironmentProperties properties, RolloutEngine engine, StateProblems problems) {
        return new Environments(properties.environments(), engine, problems);
    }

    @Bean
    DesiredState desiredState(StateRepository state, GitDeploymentHistory history, Environments environments) {
        return new DesiredState(state, history, environments);
    }

    @Bean
    DegradedHealth deployServiceHealthIndicator(Reconciler reconciler, StateRepository state) {
        return new DegradedHealth(reconciler, state);
    }

    // Its first pass runs on its own thread: start-up waits neither on the engine nor on the state remote.
    @Bean(destroyMethod = "close")
    Reconciler reconciler(StateRepository state, GitDeploymentHistory history, RolloutEngine engine,
                          DeployQueue queue, Environments environments, StateProblems problems,
                          StateProperties properties, DeploymentMetrics metrics, Clock clock) {
        Reconciler reconciler = new Reconciler(state, history, engine, queue, environments.configured(), problems,
                metrics, clock);
        reconciler.start(properties.reconcileInterval());
        return reconciler;
    }
}
