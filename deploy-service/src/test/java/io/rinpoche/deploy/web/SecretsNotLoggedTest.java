package io.rinpoche.deploy.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.rinpoche.deploy.TestPayloads;
import io.rinpoche.deploy.queue.RecordingQueueConfiguration;
import io.rinpoche.deploy.web.api.ApiRequests;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;

/**
 * Start-up and every authentication path, right and wrong, hooks and admin API, with the service's own
 * logging at DEBUG: no secret, and no wrong guess at one, reaches the log.
 */
@ExtendWith(OutputCaptureExtension.class)
@Import(RecordingQueueConfiguration.class)
@SpringBootTest(properties = {"HOOK_TOKEN=" + HookRequests.HOOK_TOKEN, "ADMIN_TOKEN=" + ApiRequests.ADMIN_TOKEN,
        "logging.level.io.rinpoche=DEBUG", "rinpoche.test.fresh-context=secrets-not-logged"})
@AutoConfigureMockMvc
@ActiveProfiles("hooks")
class SecretsNotLoggedTest {

    private static final String GUESS = "guessed-token-0123456789";

    @Autowired
    private MockMvc mvc;

    @Test
    void noSecretReachesTheLog(CapturedOutput output) throws Exception {
        byte[] registry = TestPayloads.bytes("distribution-push.json");
        byte[] hub = TestPayloads.bytes("dockerhub-push.json");
        mvc.perform(HookRequests.authentic("registry", registry)).andExpect(status().isAccepted());
        mvc.perform(HookRequests.bearer("registry", GUESS, registry)).andExpect(status().isUnauthorized());
        mvc.perform(HookRequests.pathToken("registry", HookRequests.HOOK_TOKEN, registry)).andExpect(status().isUnauthorized());
        mvc.perform(HookRequests.authentic("hub", hub)).andExpect(status().isAccepted());
        mvc.perform(HookRequests.pathToken("hub", GUESS, hub)).andExpect(status().isUnauthorized());
        mvc.perform(post("/hooks/" + GUESS).content(hub)).andExpect(status().isNotFound());
        mvc.perform(HookRequests.authentic("generic", TestPayloads.bytes("generic-push.json"))).andExpect(status().isAccepted());
        mvc.perform(HookRequests.authentic("github", TestPayloads.bytes("github-package-published.json")))
                .andExpect(status().isAccepted());
        mvc.perform(get("/api/deployments").header("Authorization", "Bearer " + ApiRequests.ADMIN_TOKEN))
                .andExpect(status().isOk());
        mvc.perform(get("/api/deployments").header("Authorization", "Bearer " + GUESS))
                .andExpect(status().isUnauthorized());

        // The capture works: start-up and the refusals are in it.
        assertThat(output).contains("Started").contains("refused with 401").contains("refused with 404")
                .contains("API request GET /api/deployments refused with 401");
        assertThat(output).doesNotContain(HookRequests.HOOK_TOKEN, HookRequests.HUB_TOKEN, HookRequests.HARBOR_TOKEN,
                HookRequests.ACR_TOKEN, HookRequests.QUAY_TOKEN, HookRequests.GITHUB_SECRET,
                HookRequests.GENERIC_SECRET, HookRequests.GENERIC_SECRET.substring("whsec_".length()), GUESS,
                ApiRequests.ADMIN_TOKEN);
    }
}
