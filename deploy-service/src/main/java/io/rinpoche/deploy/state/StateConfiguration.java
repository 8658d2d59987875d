package io.rinpoche.deploy.state;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The desired state in git: the state repository, and the deployment history that commits to it. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(StateProperties.class)
public class StateConfiguration {

    @Bean(destroyMethod = "close")
    StateRepository stateRepository(StateProperties properties) {
        return StateRepository.open(properties.directory(), properties.remote().create());
    }

    @Bean
    GitDeploymentHistory deploymentHistory(StateRepository state) {
        return new GitDeploymentHistory(state);
    }
}
