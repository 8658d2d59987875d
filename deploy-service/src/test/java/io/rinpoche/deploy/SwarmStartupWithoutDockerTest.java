package io.rinpoche.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.rinpoche.deploy.rollout.RolloutEngine;
import io.rinpoche.deploy.rollout.swarm.SwarmEngineSettings;
import io.rinpoche.deploy.rollout.swarm.SwarmRolloutEngine;
import io.rinpoche.deploy.web.api.ApiRequests;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.ApplicationContext;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The real wiring with {@code RINPOCHE_ENGINE=swarm} and no manager at the other end: the swarm engine is the one
 * engine, configured from the same environment variables as the compose engine, and the service starts degraded.
 */
@SpringBootTest(properties = {"HOOK_TOKEN=test-hook-token-0123456789", "ADMIN_TOKEN=" + ApiRequests.ADMIN_TOKEN,
        "RINPOCHE_ENGINE=swarm", "DOCKER_HOST=" + StartupWithoutDockerTest.NO_DOCKER,
        "RINPOCHE_PROJECT_PREFIX=rinpoche-test-noswarm"})
@AutoConfigureMockMvc
class SwarmStartupWithoutDockerTest {

    @Autowired
    private MockMvc mvc;

    @Autowired
    private ApplicationContext context;

    @Autowired
    private SwarmEngineSettings settings;

    @Test
    void startsDegradedWithTheSwarmEngineConfiguredFromTheEnvironment() throws Exception {
        assertThat(context.getBeansOfType(RolloutEngine.class).values()).singleElement()
                .isInstanceOf(SwarmRolloutEngine.class);
        assertThat(settings.dockerHost()).isEqualTo(StartupWithoutDockerTest.NO_DOCKER);
        assertThat(settings.stackPrefix()).isEqualTo("rinpoche-test-noswarm");

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> mvc.perform(get("/actuator/health"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.status").value("DEGRADED"))
                .andExpect(jsonPath("$.components.deployService.details.reasons[0]")
                        .value(org.hamcrest.Matchers.containsString("cannot reach the swarm manager's Docker engine at "
                                + StartupWithoutDockerTest.NO_DOCKER))));
    }
}
