package io.rinpoche.deploy.web;

import static io.rinpoche.deploy.web.HookRequests.authentic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.rinpoche.deploy.FakeEngine;
import io.rinpoche.deploy.FakeEngineConfiguration;
import io.rinpoche.deploy.history.Deployment;
import io.rinpoche.deploy.history.DeploymentHistory;
import io.rinpoche.deploy.hook.auth.Secrets;
import io.rinpoche.deploy.model.DeployRequest;
import io.rinpoche.deploy.queue.RolloutScheduler;
import io.rinpoche.deploy.rollout.RolloutResult.Outcome;
import io.rinpoche.deploy.web.api.ApiRequests;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The shipped configuration end to end, with a fake engine: a registry hook becomes a rollout, a history entry
 * and metrics; a redelivery does nothing; a burst of 500 hooks for one service runs at most two rollouts and
 * ends on the newest image.
 */
@Import(FakeEngineConfiguration.class)
@SpringBootTest(properties = {"HOOK_TOKEN=" + HookRequests.HOOK_TOKEN, "ADMIN_TOKEN=" + ApiRequests.ADMIN_TOKEN})
@AutoConfigureMockMvc
@AutoConfigureMetrics
class HookToRolloutTest {

    private static final String IMAGE = "127.0.0.1:5000/hello-django";

    @Autowired
    private MockMvc mvc;

    @Autowired
    private FakeEngine engine;

    @Autowired
    private RolloutScheduler scheduler;

    @Autowired
    private DeploymentHistory history;

    @BeforeEach
    void stagingRunsAnApp() {
        engine.run("staging", "app", IMAGE + ":develop-0");
    }

    /** A CNCF distribution notification for a manifest push of {@code develop-<n>}, with its own digest and id. */
    static byte[] push(int n, String eventId) {
        String json = """
                {"events": [{"id": "%s", "timestamp": "2026-11-25T21:10:04Z", "action": "push",
                  "target": {"mediaType": "application/vnd.docker.distribution.manifest.v2+json", "size": 1574,
                             "digest": "%s", "repository": "hello-django", "tag": "develop-%d"},
                  "request": {"id": "r-%s", "host": "127.0.0.1:5000", "method": "PUT"}}]}
                """.formatted(eventId, digest(n), n, eventId);
        return json.getBytes(StandardCharsets.UTF_8);
    }

    static String digest(int n) {
        return "sha256:" + HexFormat.of().formatHex(Secrets.sha256(("image " + n).getBytes(StandardCharsets.UTF_8)));
    }

    private void awaitIdle() {
        await().atMost(Duration.ofSeconds(20)).until(scheduler::idle);
    }

    @Test
    void aHookIsRolledRecordedAndMeasured() throws Exception {
        mvc.perform(authentic("registry", push(1001, "evt-1001"))).andExpect(status().isAccepted())
                .andExpect(jsonPath("$.events[0].outcome").value("planned"));
        awaitIdle();

        assertThat(engine.rolled("staging", "app")).last().extracting(r -> r.image().pinned())
                .isEqualTo(IMAGE + "@" + digest(1001));
        mvc.perform(get("/api/deployments?size=1").header("Authorization", "Bearer " + ApiRequests.ADMIN_TOKEN))
                .andExpect(jsonPath("$.items[0].trigger.kind").value("hook"))
                .andExpect(jsonPath("$.items[0].trigger.source").value("registry"))
                .andExpect(jsonPath("$.items[0].trigger.eventId").value("evt-1001"))
                .andExpect(jsonPath("$.items[0].requested").value(IMAGE + ":develop-1001@" + digest(1001)))
                .andExpect(jsonPath("$.items[0].outcome").value("deployed"));
        String tags = "environment=\"staging\",outcome=\"deployed\",service=\"app\"";
        mvc.perform(get("/actuator/prometheus"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("rinpoche_deployments_total{" + tags + ",trigger=\"hook\"}")))
                .andExpect(content().string(containsString("rinpoche_deployment_duration_seconds_bucket{" + tags + ",le=\"5.0\"}")))
                .andExpect(content().string(containsString("rinpoche_deployment_duration_seconds_count{" + tags + "}")))
                .andExpect(content().string(containsString(
                        "rinpoche_hook_to_serving_seconds_bucket{environment=\"staging\",service=\"app\",le=\"")))
                .andExpect(content().string(containsString("rinpoche_rollouts_in_progress 0.0")))
                .andExpect(content().string(containsString(
                        "rinpoche_rollout_requests_total{environment=\"staging\",outcome=\"queued\",service=\"app\"}")))
                .andExpect(content().string(containsString("rinpoche_hooks_total{outcome=\"accepted\",source=\"registry\"}")));
    }

    @Test
    void aRedeliveredHookDoesNothing() throws Exception {
        mvc.perform(authentic("registry", push(2001, "evt-2001"))).andExpect(status().isAccepted());
        awaitIdle();
        int rolled = engine.rolled().size();
        long recorded = history.page(0, 1).total();

        mvc.perform(authentic("registry", push(2001, "evt-2001"))).andExpect(status().isAccepted());
        awaitIdle();

        assertThat(engine.rolled()).hasSize(rolled);
        assertThat(history.page(0, 1).total()).isEqualTo(recorded);
    }

    @Test
    void aBurstOf500HooksRunsAtMostTwoRolloutsAndTheLastDeploysTheNewest() throws Exception {
        int before = engine.rolled("staging", "app").size();
        engine.hold(); // a real rollout takes seconds; the burst arrives while the first one runs
        try {
            for (int n = 1; n <= 500; n++) {
                mvc.perform(authentic("registry", push(n, "burst-" + n))).andExpect(status().isAccepted());
            }
        } finally {
            engine.release();
        }
        awaitIdle();

        List<DeployRequest> rolled = engine.rolled("staging", "app");
        List<DeployRequest> burst = rolled.subList(before, rolled.size());
        // The first hook's rollout, then the newest: the 498 in between were superseded while it ran.
        assertThat(burst).extracting(r -> r.image().tag()).containsExactly("develop-1", "develop-500");
        Deployment last = history.page(0, 1).items().get(0);
        assertThat(last.outcome()).isEqualTo(Outcome.DEPLOYED);
        assertThat(last.requested().tag()).isEqualTo("develop-500");
        assertThat(last.to().digest().value()).isEqualTo(digest(500));
        System.out.printf("burst: 500 hooks for staging/app -> %d rollouts, last deployed %s%n", burst.size(),
                last.to());
    }
}
