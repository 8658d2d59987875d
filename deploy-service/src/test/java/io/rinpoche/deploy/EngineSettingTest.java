package io.rinpoche.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.rinpoche.deploy.rollout.RolloutEngine;
import io.rinpoche.deploy.rollout.compose.ComposeConfiguration;
import io.rinpoche.deploy.rollout.compose.ComposeRolloutEngine;
import io.rinpoche.deploy.rollout.swarm.SwarmConfiguration;
import io.rinpoche.deploy.rollout.swarm.SwarmRolloutEngine;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** {@code rinpoche.engine} makes exactly one engine, compose by default; a value naming none stops start-up, saying so. */
class EngineSettingTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(DeployServiceConfiguration.class, ComposeConfiguration.class, SwarmConfiguration.class)
            .withPropertyValues("rinpoche.rollout.compose.docker-host=unix:///nonexistent/engine-setting.sock",
                    "rinpoche.rollout.swarm.docker-host=unix:///nonexistent/engine-setting.sock");

    @Test
    void composeByDefault() {
        runner.run(context -> assertThat(context.getBeansOfType(RolloutEngine.class).values()).singleElement()
                .isInstanceOf(ComposeRolloutEngine.class));
        runner.withPropertyValues("rinpoche.engine=").run(context -> assertThat(context)
                .getBean(RolloutEngine.class).isInstanceOf(ComposeRolloutEngine.class));
    }

    @Test
    void swarmWhenNamed() {
        runner.withPropertyValues("rinpoche.engine=swarm").run(context -> assertThat(context.getBeansOfType(
                RolloutEngine.class).values()).singleElement().isInstanceOf(SwarmRolloutEngine.class));
    }

    @Test
    void anUnknownEngineStopsStartUpNamingTheSetting() {
        runner.withPropertyValues("rinpoche.engine=kubernetes").run(context -> {
            assertThat(context).hasFailed();
            assertThat(new ConfigurationFailureAnalyzer().analyze(context.getStartupFailure()).getDescription())
                    .isEqualTo("rinpoche.engine (RINPOCHE_ENGINE) is 'kubernetes': the rollout engines are compose and swarm");
        });
    }
}
