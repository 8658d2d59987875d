package io.rinpoche.deploy.web;

import static io.rinpoche.deploy.web.HookRequests.authentic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.rinpoche.deploy.TestPayloads;
import io.rinpoche.deploy.history.Intent;
import io.rinpoche.deploy.queue.RecordingQueue;
import io.rinpoche.deploy.queue.RecordingQueueConfiguration;
import io.rinpoche.deploy.web.api.ApiRequests;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;

/** The hook endpoint over HTTP: 202 planned or ignored, 400, 401, 404, 413, problem bodies, metrics. */
@Import(RecordingQueueConfiguration.class)
@SpringBootTest(properties = {"HOOK_TOKEN=" + HookRequests.HOOK_TOKEN, "ADMIN_TOKEN=" + ApiRequests.ADMIN_TOKEN})
@AutoConfigureMockMvc
@AutoConfigureMetrics
@ActiveProfiles("hooks")
class HookEndpointTest {

    private static final String DIGEST = "sha256:77a9943a3af986df8946e6cddbe06d7e1915177267df2ac05c1393fd29cbb4da";

    @Autowired
    private MockMvc mvc;

    @Autowired
    private RecordingQueue queue;

    private static byte[] sample(String name) {
        return TestPayloads.bytes(name);
    }

    private static byte[] replaced(String name, String from, String to) {
        String text = new String(sample(name), StandardCharsets.UTF_8);
        assertThat(text).contains(from);
        return text.replace(from, to).getBytes(StandardCharsets.UTF_8);
    }

    private List<Intent> newPlans(int before) {
        List<Intent> all = queue.submitted();
        return all.subList(before, all.size());
    }

    @Test
    void aRegistryPushIsPlannedForStagingAndQueued() throws Exception {
        int before = queue.submitted().size();

        mvc.perform(authentic("registry", sample("distribution-push.json")))
                .andExpect(status().isAccepted())
                .andExpect(jsonPath("$.source").value("registry"))
                .andExpect(jsonPath("$.outcome").value("accepted"))
                .andExpect(jsonPath("$.events[0].outcome").value("planned"))
                .andExpect(jsonPath("$.events[0].environment").value("staging"))
                .andExpect(jsonPath("$.events[0].service").value("app"))
                .andExpect(jsonPath("$.events[0].rule").value("staging"))
                .andExpect(jsonPath("$.events[0].eventId").value("9b0d7c34-6f52-4a8e-9f0d-1d2a44c0e103"))
                .andExpect(jsonPath("$.events[0].image").value("127.0.0.1:5000/hello-django:develop-abc123@" + DIGEST))
                .andExpect(jsonPath("$.events[1].outcome").value("ignored"))
                .andExpect(jsonPath("$.events.length()").value(3));

        assertThat(newPlans(before)).singleElement().satisfies(plan -> {
            assertThat(plan.request().toString()).startsWith("staging/app <- ");
            assertThat(plan.image().pinned()).isEqualTo("127.0.0.1:5000/hello-django@" + DIGEST);
        });
    }

    @Test
    void aPushNoRuleMatchesIs202IgnoredAndQueuesNothing() throws Exception {
        int before = queue.submitted().size();

        mvc.perform(authentic("registry", replaced("distribution-push.json", "develop-abc123", "feature-x")))
                .andExpect(status().isAccepted())
                .andExpect(jsonPath("$.outcome").value("ignored"))
                .andExpect(jsonPath("$.reason").value("no rule matches hello-django:feature-x from source registry"));
        mvc.perform(authentic("registry", sample("distribution-not-deployable.json")))
                .andExpect(status().isAccepted())
                .andExpect(jsonPath("$.outcome").value("ignored"))
                .andExpect(jsonPath("$.reason").value("event 0: action 'pull', not a push"));

        assertThat(newPlans(before)).isEmpty();
    }

    @Test
    void malformedJsonIs400ProblemAndQueuesNothing() throws Exception {
        int before = queue.submitted().size();

        mvc.perform(authentic("registry", "{\"events\": [".getBytes(StandardCharsets.UTF_8)))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.status").value(400))
                .andExpect(jsonPath("$.title").value("Bad Request"))
                .andExpect(jsonPath("$.detail", startsWith("the body is not JSON")))
                .andExpect(jsonPath("$.instance").value("/hooks/registry"));
        mvc.perform(authentic("hub", "{\"repository\":{}}".getBytes(StandardCharsets.UTF_8)))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value("not a DOCKER_HUB payload: missing string field 'push_data.tag'"));

        assertThat(newPlans(before)).isEmpty();
    }

    @Test
    void aWrongOrMissingSecretIs401() throws Exception {
        byte[] body = sample("distribution-push.json");

        mvc.perform(HookRequests.bearer("registry", "wrong-token-0123456789", body))
                .andExpect(status().isUnauthorized())
                .andExpect(jsonPath("$.detail").value("wrong bearer token"));
        mvc.perform(post("/hooks/registry").content(body)).andExpect(status().isUnauthorized());
        mvc.perform(HookRequests.pathToken("registry", HookRequests.HOOK_TOKEN, body))
                .andExpect(status().isUnauthorized())
                .andExpect(content().string(not(containsString(HookRequests.HOOK_TOKEN))));
        mvc.perform(HookRequests.pathToken("hub", "wrong-token-0123456789", sample("dockerhub-push.json")))
                .andExpect(status().isUnauthorized())
                .andExpect(jsonPath("$.instance").value("/hooks/hub"))
                .andExpect(content().string(not(containsString("wrong-token"))));
        mvc.perform(post("/hooks/hub").content(sample("dockerhub-push.json"))).andExpect(status().isUnauthorized());
    }

    @Test
    void aBodyOverOneMebibyteIs413() throws Exception {
        byte[] big = new byte[1024 * 1024 + 1];
        java.util.Arrays.fill(big, (byte) ' ');

        mvc.perform(authentic("registry", big))
                .andExpect(status().is(413))
                .andExpect(jsonPath("$.detail").value("the body is larger than 1048576 bytes"));
        byte[] justFits = new byte[1024 * 1024];
        java.util.Arrays.fill(justFits, (byte) ' ');
        justFits[0] = '{';
        justFits[justFits.length - 1] = '}';
        mvc.perform(authentic("registry", justFits)).andExpect(status().isBadRequest()); // read, then found malformed
    }

    @Test
    void anUnknownSourceIs404WithoutEchoingIt() throws Exception {
        mvc.perform(post("/hooks/s3cr3t-looking-name").content("{}"))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.instance").value("/hooks"))
                .andExpect(content().string(not(containsString("s3cr3t"))));
        mvc.perform(post("/hooks/hub/" + HookRequests.HUB_TOKEN + "/extra").content("{}"))
                .andExpect(status().isNotFound())
                .andExpect(content().string(not(containsString(HookRequests.HUB_TOKEN))));
    }

    @Test
    void registriesThatCannotSendHeadersUseATokenInThePath() throws Exception {
        mvc.perform(authentic("hub", sample("dockerhub-push.json")))
                .andExpect(status().isAccepted())
                .andExpect(jsonPath("$.events[0].rule").value("hub-release"))
                .andExpect(jsonPath("$.events[0].image").value("docker.io/rinpoche/hello-django:1.4.0"));
        mvc.perform(authentic("acr", sample("aliyun-acr-push.json")))
                .andExpect(status().isAccepted())
                .andExpect(jsonPath("$.events[0].rule").value("acr-master"));
        mvc.perform(authentic("quay", sample("quay-push.json")))
                .andExpect(status().isAccepted())
                .andExpect(jsonPath("$.events[0].outcome").value("planned"))
                .andExpect(jsonPath("$.events[1].outcome").value("ignored"))
                .andExpect(jsonPath("$.events[1].image").value("quay.io/rinpoche/hello-django:develop"));
    }

    @Test
    void harborAndGitHubPushesArePlanned() throws Exception {
        mvc.perform(authentic("harbor", sample("harbor-push.json")))
                .andExpect(status().isAccepted())
                .andExpect(jsonPath("$.events[0].rule").value("harbor-release"))
                .andExpect(jsonPath("$.events[0].environment").value("production"));
        mvc.perform(authentic("harbor", sample("harbor-push-by-digest.json")))
                .andExpect(status().isAccepted())
                .andExpect(jsonPath("$.outcome").value("ignored"));
        mvc.perform(authentic("github", sample("github-registry-package-published.json")))
                .andExpect(status().isAccepted())
                .andExpect(jsonPath("$.events[0].service").value("web"))
                .andExpect(jsonPath("$.events[0].eventId").value("72d3162e-cc78-11e3-81ab-4c9367dc0958"));
        byte[] body = sample("github-package-published.json");
        mvc.perform(post("/hooks/github").content(body)
                        .header("X-Hub-Signature-256", "sha256=" + "0".repeat(64)))
                .andExpect(status().isUnauthorized());
    }

    @Test
    void theGenericSourceChecksSignatureAndTimestamp() throws Exception {
        byte[] body = sample("generic-push.json");
        long now = Instant.now().getEpochSecond();

        mvc.perform(HookRequests.generic(body, now))
                .andExpect(status().isAccepted())
                .andExpect(jsonPath("$.events[0].rule").value("generic-develop"))
                .andExpect(jsonPath("$.events[0].eventId").value("msg_" + now));
        mvc.perform(HookRequests.generic(body, now - 600))
                .andExpect(status().isUnauthorized())
                .andExpect(jsonPath("$.detail", containsString("tolerance")));
        mvc.perform(HookRequests.generic(body, now).content(replaced("generic-push.json", "develop", "master")))
                .andExpect(status().isUnauthorized());
    }

    @Test
    void otherMethodsAreRefusedWithoutA5xx() throws Exception {
        mvc.perform(get("/hooks/registry")).andExpect(status().isMethodNotAllowed());
    }

    @Test
    void healthAndHookCountersAreExposed() throws Exception {
        mvc.perform(authentic("registry", sample("distribution-push.json"))).andExpect(status().isAccepted());
        mvc.perform(HookRequests.bearer("registry", "wrong-token-0123456789", new byte[0]))
                .andExpect(status().isUnauthorized());
        mvc.perform(post("/hooks/nope").content("{}")).andExpect(status().isNotFound());

        mvc.perform(get("/actuator/health"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.status").value("UP"));
        mvc.perform(get("/actuator/prometheus"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("rinpoche_hooks_total{outcome=\"accepted\",source=\"registry\"}")))
                .andExpect(content().string(containsString("rinpoche_hooks_total{outcome=\"unauthorized\",source=\"registry\"}")))
                .andExpect(content().string(containsString("rinpoche_hooks_total{outcome=\"unknown_source\",source=\"unknown\"}")))
                .andExpect(content().string(not(containsString("source=\"nope\""))));
    }
}
