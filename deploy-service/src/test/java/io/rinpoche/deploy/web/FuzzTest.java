package io.rinpoche.deploy.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import io.rinpoche.deploy.TestPayloads;
import io.rinpoche.deploy.hook.HookRejection;
import io.rinpoche.deploy.queue.RecordingQueue;
import io.rinpoche.deploy.queue.RecordingQueueConfiguration;
import io.rinpoche.deploy.web.api.ApiRequests;
import com.jayway.jsonpath.JsonPath;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

/**
 * Hostile input, seeded so that a failure replays exactly; no exception may escape (MockMvc would rethrow it from
 * perform):
 * <ul>
 *   <li>1000 mutated payloads per adapter endpoint, authenticated as the source expects so that they reach the
 *       parser: every answer is 202 or 400, never a 5xx, and a 400 queues nothing;</li>
 *   <li>1000 mutated bodies per admin endpoint (manual deploys, rollbacks, pin seeds), with the admin token:
 *       malformed JSON, wrong types, odd unicode, and every 50th a body of 1 to 3 MiB. Every answer is a success
 *       or a 4xx problem+json with a detail, never a 5xx; and odd path and query values for the reading endpoints.</li>
 * </ul>
 * Pin files arriving from the state remote have their own fuzz test, {@code requests.PinFileFuzzTest}.
 */
@Import(RecordingQueueConfiguration.class)
@SpringBootTest(properties = {"HOOK_TOKEN=" + HookRequests.HOOK_TOKEN, "ADMIN_TOKEN=" + ApiRequests.ADMIN_TOKEN,
        "logging.level.io.rinpoche=ERROR"})
@AutoConfigureMockMvc
@ActiveProfiles("hooks")
class FuzzTest {

    private static final int PAYLOADS = 1000;
    private static final String DIGEST = "sha256:77a9943a3af986df8946e6cddbe06d7e1915177267df2ac05c1393fd29cbb4da";

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

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "/api/deployments | {\"environment\":\"staging\",\"service\":\"app\",\"image\":\"127.0.0.1:5000/hello-django:develop-abc1234\"}",
            "/api/rollback | {\"environment\":\"staging\",\"service\":\"app\",\"to\":\"127.0.0.1:5000/hello-django@" + DIGEST + "\"}",
            "/api/pins/seed | {\"environment\":\"staging\",\"service\":\"fuzz\",\"image\":\"127.0.0.1:5000/hello-django:seed@" + DIGEST + "\"}"})
    void noBodyMakesTheAdminApiFail(String path, String sample) throws Exception {
        PayloadMutator mutator = new PayloadMutator(20261126L + path.hashCode());
        byte[] valid = sample.getBytes(StandardCharsets.UTF_8);
        Map<Integer, Integer> statuses = new TreeMap<>();
        for (int i = 0; i < PAYLOADS; i++) {
            byte[] body = i % 50 == 49 ? mutator.huge(valid) : mutator.mutate(valid);
            MvcResult result = mvc.perform(post(path).header("Authorization", "Bearer " + ApiRequests.ADMIN_TOKEN)
                    .contentType(MediaType.APPLICATION_JSON).content(body)).andReturn();
            statuses.merge(result.getResponse().getStatus(), 1, Integer::sum);
            assertClear(result, "body " + i + " to " + path + ": " + abbreviated(body));
        }
        // Both paths were taken: refusals, and bodies that reached the request (a rollback finds no history here: 409).
        assertThat(statuses.keySet()).anyMatch(status -> status == 400).anyMatch(status -> status < 300 || status == 409);
        assertThat(statuses).containsKey(413);
        System.out.printf("fuzz %s: %d bodies, statuses %s%n", path, PAYLOADS, statuses);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "{\"environment\":\"staging\",\"service\":true,\"image\":\"hello-django:1\"} | 'service' must be a string",
            "{\"environment\":1e3,\"service\":\"app\",\"image\":\"hello-django:1\"} | 'environment' must be a string",
            "{\"environment\":\"staging\",\"service\":\"app\",\"image\":[\"hello-django:1\"]} | 'image' must be a string",
            "[] | ",
            "{\"environment\":\"staging\",\"service\":\"app\" | Unexpected end-of-input"})
    void aBodyOfTheWrongShapeIsRefusedSayingWhy(String body, String why) throws Exception {
        MvcResult result = mvc.perform(post("/api/deployments").header("Authorization", "Bearer " + ApiRequests.ADMIN_TOKEN)
                .contentType(MediaType.APPLICATION_JSON).content(body)).andReturn();

        assertThat(result.getResponse().getStatus()).as(body).isEqualTo(400);
        assertThat(JsonPath.<String>read(result.getResponse().getContentAsString(), "$.detail"))
                .startsWith("the body is not the JSON object this endpoint takes: ").contains(why == null ? "" : why);
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json;charset=bogus", "application/json;charset=utf-16", "text/plain",
            "application/x-www-form-urlencoded", "multipart/form-data", "application/json;;;", "*/*", "\u00e9/\u00e9"})
    void oddContentTypesAreRefusedClearly(String contentType) throws Exception {
        MvcResult result = mvc.perform(post("/api/deployments").header("Authorization", "Bearer " + ApiRequests.ADMIN_TOKEN)
                .header("Content-Type", contentType).content(
                        "{\"environment\":\"staging\",\"service\":\"app\",\"image\":\"hello-django:1\"}")).andReturn();

        assertClear(result, contentType);
    }

    @ParameterizedTest
    @ValueSource(strings = {"staging", "STAGING", "st%C3%A4ging", "%F0%9F%9A%80", "%E2%80%AEgnigats", "%00", "%2e%2e",
            "a%20b", "staging%0d%0aX-Injected:%201", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "%C0%AF", "%ED%A0%80", "%EF%BC%B3taging"})
    void oddEnvironmentsInThePathAndOddPagesAreRefusedClearly(String environment) throws Exception {
        MvcResult pins = mvc.perform(get("/api/pins/" + environment)
                .header("Authorization", "Bearer " + ApiRequests.ADMIN_TOKEN)).andReturn();
        assertClear(pins, "GET /api/pins/" + environment);
        String value = environment.length() > 20 ? environment.substring(0, 20) : environment;
        MvcResult page = mvc.perform(get("/api/deployments?page=" + value + "&size=" + value)
                .header("Authorization", "Bearer " + ApiRequests.ADMIN_TOKEN)).andReturn();
        assertClear(page, "GET /api/deployments?page=" + value);
        for (String numbers : List.of("page=-1", "size=0", "size=101", "page=99999999999", "size=1e3", "page=%EF%BC%91")) {
            MvcResult odd = mvc.perform(get("/api/deployments?" + numbers)
                    .header("Authorization", "Bearer " + ApiRequests.ADMIN_TOKEN)).andReturn();
            assertThat(odd.getResponse().getStatus()).as(numbers).isEqualTo(400);
            assertClear(odd, numbers);
        }
    }

    // A success, or a 4xx problem+json that says what was wrong: never a 5xx, never a bare status.
    private static void assertClear(MvcResult result, String what) throws Exception {
        int status = result.getResponse().getStatus();
        assertThat(status).as(what).isLessThan(500);
        if (status >= 400) {
            assertThat(result.getResponse().getContentType()).as(what).startsWith(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            // Spring's own "Failed to read request" says nothing about what to fix.
            assertThat(JsonPath.<String>read(result.getResponse().getContentAsString(), "$.detail")).as(what)
                    .isNotBlank().isNotEqualTo("Failed to read request");
        }
    }

    private static String abbreviated(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        return text.length() > 300 ? text.substring(0, 300) + "... (" + body.length + " bytes)" : text;
    }
}
