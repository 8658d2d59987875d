package io.rinpoche.deploy.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.rinpoche.deploy.TestPayloads;
import io.rinpoche.deploy.hook.HookRejection;
import io.rinpoche.deploy.queue.RecordingQueue;
import io.rinpoche.deploy.queue.RecordingQueueConfiguration;
import io.rinpoche.deploy.web.api.ApiRequests;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

/**
 * 1000 mutated payloads per adapter endpoint, authenticated as the source expects so that they reach
 * the parser: every answer is 202 or 400, never a 5xx, no exception escapes (MockMvc would rethrow
 * it from perform), and a 400 queues nothing. Seeded, so a failure replays exactly.
 */
@Import(RecordingQueueConfiguration.class)
@SpringBootTest(properties = {"HOOK_TOKEN=" + HookRequests.HOOK_TOKEN, "ADMIN_TOKEN=" + ApiRequests.ADMIN_TOKEN,
        "logging.level.io.rinpoche=ERROR"})
@AutoConfigureMockMvc
@ActiveProfiles("hooks")
class HookFuzzTest {

    private static final int PAYLOADS = 1000;

    @Autowired
    private MockMvc mvc;

    @Autowired
    private RecordingQueue queue;

    @ParameterizedTest(name = "{0}")
    @CsvSource({"registry, distribution-push.json", "hub, dockerhub-push.json", "harbor, harbor-push.json",
            "acr, aliyun-acr-push.json", "quay, quay-push.json", "github, github-registry-package-published.json",
            "generic, generic-push.json"})
    void noPayloadMakesTheEndpointFail(String source, String sample) throws Exception {
        PayloadMutator mutator = new PayloadMutator(20261125L + source.hashCode());
        byte[] valid = TestPayloads.bytes(sample);
        Map<Integer, Integer> statuses = new TreeMap<>();
        for (int i = 0; i < PAYLOADS; i++) {
            byte[] body = mutator.mutate(valid);
            int queued = queue.submitted().size();
            MvcResult result = mvc.perform(HookRequests.authentic(source, body)).andReturn();
            int status = result.getResponse().getStatus();
            statuses.merge(status, 1, Integer::sum);
            assertThat(status).as("payload %d for %s: %s", i, source, new String(body)).isIn(202, 400);
            // A refusal is a handled HookRejection; anything else would be a bug that only looked like a 400.
            if (result.getResolvedException() != null) {
                assertThat(result.getResolvedException()).as("payload %d", i).isInstanceOf(HookRejection.class);
            }
            if (status == 400) {
                assertThat(queue.submitted()).as("a refused payload queues nothing").hasSize(queued);
            }
        }
        // Both paths were exercised: the mutations are neither all harmless nor all rejected by the parser.
        assertThat(statuses).containsKeys(202, 400);
        System.out.printf("fuzz %s: %d payloads, statuses %s%n", source, PAYLOADS, statuses);
    }
}
