package io.rinpoche.deploy.web;

import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.rinpoche.deploy.TestPayloads;
import io.rinpoche.deploy.queue.RecordingQueueConfiguration;
import io.rinpoche.deploy.web.api.ApiRequests;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.test.web.servlet.MockMvc;

/** The shipped application.yaml as it is: source "registry" and the three default rules. */
@Import(RecordingQueueConfiguration.class)
@SpringBootTest(properties = {"HOOK_TOKEN=" + HookRequests.HOOK_TOKEN, "ADMIN_TOKEN=" + ApiRequests.ADMIN_TOKEN})
@AutoConfigureMockMvc
class DefaultConfigurationTest {

    @Autowired
    private MockMvc mvc;

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(textBlock = """
            develop-abc123,  staging,    staging
            1.4.0,           production, production-release
            v2.0.0,          production, production-release
            master-9f8e7d6,  production, production-master
            """)
    void theDefaultRulesRouteTheExampleApp(String tag, String environment, String rule) throws Exception {
        byte[] body = new String(TestPayloads.bytes("distribution-push.json"), StandardCharsets.UTF_8)
                .replace("develop-abc123", tag).getBytes(StandardCharsets.UTF_8);

        mvc.perform(HookRequests.authentic("registry", body))
                .andExpect(status().isAccepted())
                .andExpect(jsonPath("$.events[0].environment").value(environment))
                .andExpect(jsonPath("$.events[0].service").value("app"))
                .andExpect(jsonPath("$.events[0].rule").value(rule));
    }

    @ParameterizedTest
    @CsvSource({"feature-x", "1.4", "2.0.0-rc.1", "latest"})
    void otherTagsAreIgnored(String tag) throws Exception {
        byte[] body = new String(TestPayloads.bytes("distribution-push.json"), StandardCharsets.UTF_8)
                .replace("develop-abc123", tag).getBytes(StandardCharsets.UTF_8);

        mvc.perform(HookRequests.authentic("registry", body))
                .andExpect(status().isAccepted())
                .andExpect(jsonPath("$.outcome").value("ignored"));
    }
}
