package io.rinpoche.deploy;

import static io.rinpoche.deploy.web.HookRequestsAccess.registryPush;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.rinpoche.deploy.history.DeploymentHistory;
import io.rinpoche.deploy.queue.RolloutScheduler;
import io.rinpoche.deploy.rollout.RolloutEngine;
import io.rinpoche.deploy.rollout.RolloutResult.Outcome;
import io.rinpoche.deploy.rollout.compose.ComposeEngineSettings;
import io.rinpoche.deploy.rollout.compose.ComposeRolloutEngine;
import io.rinpoche.deploy.web.api.ApiRequests;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The real wiring, compose engine included, with no Docker engine at the other end: the service starts, and health
 * says DEGRADED and why, the environment variables reach the engine's settings, the API says the engine cannot list, and a
 * hook's rollout is recorded as FAILED.
 */
@SpringBootTest(properties = {"HOOK_TOKEN=test-hook-token-0123456789", "ADMIN_TOKEN=" + ApiRequests.ADMIN_TOKEN,
        "DOCKER_HOST=" + StartupWithoutDockerTest.NO_DOCKER, "RINPOCHE_PROJECT_PREFIX=rinpoche-test-nodocker"})
@AutoConfigureMockMvc
class StartupWithoutDockerTest {

    static final String NO_DOCKER = "unix:///nonexistent/rinpoche-test/docker.sock";

    @Autowired
    private MockMvc mvc;

    @Autowired
    private RolloutEngine engine;

    @Autowired
    private ComposeEngineSettings settings;

    @Autowired
    private RolloutScheduler scheduler;

    @Autowired
    private DeploymentHistory history;

    @Test
    void startsDegradedWithTheComposeEngineConfiguredFromTheEnvironment() throws Exception {
        assertThat(engine).isInstanceOf(ComposeRolloutEngine.class);
        assertThat(settings.dockerHost()).isEqualTo(NO_DOCKER);
        assertThat(settings.projectPrefix()).isEqualTo("rinpoche-test-nodocker");

        // Alive and taking hooks, but degraded: health says so, and why.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> mvc.perform(get("/actuator/health"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.status").value("DEGRADED"))
                .andExpect(jsonPath("$.components.deployService.details.reasons[0]")
                        .value(org.hamcrest.Matchers.containsString("cannot reach the Docker engine at " + NO_DOCKER))));
        mvc.perform(get("/api/environments").header("Authorization", "Bearer " + ApiRequests.ADMIN_TOKEN))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$[0].name").value("production"))
                .andExpect(jsonPath("$[0].services.length()").value(0))
                .andExpect(jsonPath("$[0].error").isString());
    }

    @Test
    void aRolloutThatCannotReachTheEngineIsRecordedAsFailed() throws Exception {
        mvc.perform(registryPush()).andExpect(status().isAccepted());
        await().atMost(Duration.ofSeconds(20)).until(scheduler::idle);

        assertThat(history.page(0, 1).items()).singleElement().satisfies(deployment -> {
            assertThat(deployment.outcome()).isEqualTo(Outcome.FAILED);
            assertThat(deployment.reason()).isNotBlank();
            System.out.println("without Docker: " + deployment.reason());
        });
    }
}
