package io.rinpoche.deploy.web.api;

import static io.rinpoche.deploy.web.api.ApiRequests.apiGet;
import static io.rinpoche.deploy.web.api.ApiRequests.apiPost;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.startsWith;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import io.rinpoche.deploy.FakeEngine;
import io.rinpoche.deploy.FakeEngineConfiguration;
import io.rinpoche.deploy.model.Environment;
import io.rinpoche.deploy.model.ImageRef;
import io.rinpoche.deploy.queue.RolloutScheduler;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The admin API over HTTP with the real scheduler and history and a fake engine: the token, environments,
 * history, manual deploy and rollback through the queue, bad input and conflicts as problem+json. Each test
 * uses its own service, since they share one context.
 */
@Import(FakeEngineConfiguration.class)
@SpringBootTest(properties = {"HOOK_TOKEN=test-hook-token-0123456789", "ADMIN_TOKEN=" + ApiRequests.ADMIN_TOKEN})
@AutoConfigureMockMvc
class ApiTest {

    private static final String IMAGE = "127.0.0.1:5000/hello-django";

    @Autowired
    private MockMvc mvc;

    @Autowired
    private FakeEngine engine;

    @Autowired
    private RolloutScheduler scheduler;

    private void awaitIdle() {
        await().atMost(Duration.ofSeconds(10)).until(scheduler::idle);
    }

    private String deploy(String service, String image) throws Exception {
        String body = mvc.perform(apiPost("/api/deployments",
                        "{\"environment\":\"staging\",\"service\":\"" + service + "\",\"image\":\"" + image + "\"}"))
                .andExpect(status().isAccepted())
                .andReturn().getResponse().getContentAsString();
        awaitIdle();
        return JsonPath.read(body, "$.id");
    }

    @Test
    void everythingUnderApiWantsTheAdminToken() throws Exception {
        mvc.perform(get("/api/environments"))
                .andExpect(status().isUnauthorized())
                .andExpect(header().string("WWW-Authenticate", "Bearer realm=\"rinpoche\""))
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.status").value(401))
                .andExpect(jsonPath("$.detail", startsWith("missing admin token")))
                .andExpect(jsonPath("$.instance").value("/api/environments"));
        mvc.perform(get("/api/deployments").header("Authorization", "Bearer wrong-token-0123456789"))
                .andExpect(status().isUnauthorized())
                .andExpect(jsonPath("$.detail", startsWith("wrong admin token")));
        mvc.perform(get("/api/deployments").header("Authorization", "Basic " + ApiRequests.ADMIN_TOKEN))
                .andExpect(status().isUnauthorized());
        mvc.perform(post("/api/rollback").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"environment\":\"staging\",\"service\":\"app\"}"))
                .andExpect(status().isUnauthorized());
        // Unknown paths too: without the token nothing tells which exist.
        mvc.perform(get("/api/nothing-here")).andExpect(status().isUnauthorized());
        mvc.perform(apiGet("/api/nothing-here")).andExpect(status().isNotFound());
    }

    @Test
    void healthAndMetricsStayOpen() throws Exception {
        mvc.perform(get("/actuator/health")).andExpect(status().isOk()).andExpect(jsonPath("$.status").value("UP"));
    }

    @Test
    void environmentsListWhatRunsInEachConfiguredOne() throws Exception {
        engine.run("production", "envlist", IMAGE + ":1.4.0");

        mvc.perform(apiGet("/api/environments"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$[0].name").value("production"))
                .andExpect(jsonPath("$[1].name").value("staging"))
                .andExpect(jsonPath("$[0].services[?(@.name=='envlist')].image").value(IMAGE + ":1.4.0"))
                .andExpect(jsonPath("$[0].services[?(@.name=='envlist')].version").value("1.4.0"))
                .andExpect(jsonPath("$[0].services[?(@.name=='envlist')].digest").value(
                        FakeEngine.version(ImageRef.parse(IMAGE + ":1.4.0")).digest().value()))
                .andExpect(jsonPath("$[0].services[?(@.name=='envlist')].health").value("healthy"))
                .andExpect(jsonPath("$[0].services[?(@.name=='envlist')].since").value("2026-11-25T08:00:00Z"))
                .andExpect(jsonPath("$[0].services[?(@.name=='envlist')].replicas").value(1));
    }

    @Test
    void aManualDeployGoesThroughTheQueueIntoTheHistory() throws Exception {
        engine.run("staging", "manual", IMAGE + ":develop-1");

        String id = deploy("manual", IMAGE + ":develop-2");

        assertThat(id).matches("[0-9a-f]{16}");
        assertThat(engine.rolled("staging", "manual")).extracting(r -> r.image().tag()).containsExactly("develop-2");
        mvc.perform(apiGet("/api/deployments?page=0&size=1"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.page").value(0))
                .andExpect(jsonPath("$.size").value(1))
                .andExpect(jsonPath("$.items.length()").value(1))
                .andExpect(jsonPath("$.items[0].id").value(id))
                .andExpect(jsonPath("$.items[0].environment").value("staging"))
                .andExpect(jsonPath("$.items[0].service").value("manual"))
                .andExpect(jsonPath("$.items[0].from.image").value(IMAGE + ":develop-1"))
                .andExpect(jsonPath("$.items[0].to.image").value(IMAGE + ":develop-2"))
                .andExpect(jsonPath("$.items[0].to.digest", matchesPattern("sha256:[0-9a-f]{64}")))
                .andExpect(jsonPath("$.items[0].trigger.kind").value("manual"))
                .andExpect(jsonPath("$.items[0].trigger.user").value("admin"))
                .andExpect(jsonPath("$.items[0].outcome").value("deployed"))
                .andExpect(jsonPath("$.items[0].durationSeconds").value(4.2))
                .andExpect(jsonPath("$.items[0].started").isString())
                .andExpect(jsonPath("$.items[0].reason").doesNotExist());
    }

    @Test
    void theHistoryIsPagedNewestFirst() throws Exception {
        engine.run("staging", "paged", IMAGE + ":develop-0");
        for (int i = 1; i <= 3; i++) {
            deploy("paged", IMAGE + ":develop-" + i);
        }

        String json = mvc.perform(apiGet("/api/deployments?size=100")).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();
        List<String> requested = JsonPath.read(json, "$.items[?(@.service=='paged')].requested");
        assertThat(requested).containsExactly(IMAGE + ":develop-3", IMAGE + ":develop-2", IMAGE + ":develop-1");
        int total = JsonPath.read(json, "$.total");
        mvc.perform(apiGet("/api/deployments?page=" + total + "&size=1"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.items.length()").value(0));
    }

    @Test
    void badInputIs400Problem() throws Exception {
        String[][] cases = {
                {"{\"environment\":\"staging\",\"service\":\"app\"", "Unexpected end-of-input"},
                {"{\"environment\":\"staging\",\"service\":\"app\"}", "missing 'image'"},
                {"{\"service\":\"app\",\"image\":\"hello-django:1.0.0\"}", "missing 'environment'"},
                {"{\"environment\":\"staging\",\"service\":\"App!\",\"image\":\"hello-django:1.0.0\"}", "not a service name"},
                {"{\"environment\":\"staging\",\"service\":\"app\",\"image\":\"hello-django\"}", "neither tag nor digest"},
                {"{\"environment\":\"qa\",\"service\":\"app\",\"image\":\"hello-django:1.0.0\"}", "unknown environment 'qa'"},
                {"[1,2]", "the body is not the JSON object this endpoint takes"},
        };
        for (String[] c : cases) {
            mvc.perform(apiPost("/api/deployments", c[0]))
                    .andExpect(status().isBadRequest())
                    .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                    .andExpect(jsonPath("$.status").value(400))
                    .andExpect(jsonPath("$.detail", containsString(c[1])));
        }
        for (String query : List.of("size=0", "size=101", "page=-1", "page=abc")) {
            mvc.perform(apiGet("/api/deployments?" + query))
                    .andExpect(status().isBadRequest())
                    .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
        }
        assertThat(engine.rolled("staging", "app")).isEmpty();
    }

    @Test
    void aRollbackPutsBackThePreviousImage() throws Exception {
        engine.run("staging", "rollme", IMAGE + ":develop-1");
        deploy("rollme", IMAGE + ":develop-2");

        mvc.perform(apiPost("/api/rollback", "{\"environment\":\"staging\",\"service\":\"rollme\"}"))
                .andExpect(status().isAccepted())
                .andExpect(jsonPath("$.id", matchesPattern("[0-9a-f]{16}")))
                .andExpect(jsonPath("$.image", startsWith(IMAGE + ":develop-1@sha256:")))
                .andExpect(jsonPath("$.status").value("queued"));
        awaitIdle();

        assertThat(engine.rolled("staging", "rollme")).extracting(r -> r.image().tag())
                .containsExactly("develop-2", "develop-1");
        assertThat(engine.services(Environment.of("staging")))
                .filteredOn(s -> s.service().name().equals("rollme")).singleElement()
                .satisfies(s -> assertThat(s.image().digest())
                        .isEqualTo(FakeEngine.version(ImageRef.parse(IMAGE + ":develop-1")).digest()));
        mvc.perform(apiGet("/api/deployments?size=1"))
                .andExpect(jsonPath("$.items[0].trigger.kind").value("rollback"))
                .andExpect(jsonPath("$.items[0].outcome").value("deployed"));
    }

    @Test
    void aRollbackToANamedImageNeedsItInTheHistory() throws Exception {
        engine.run("staging", "rollto", IMAGE + ":develop-1");
        deploy("rollto", IMAGE + ":develop-2");
        deploy("rollto", IMAGE + ":develop-3");
        String first = FakeEngine.version(ImageRef.parse(IMAGE + ":develop-1")).digest().value();

        mvc.perform(apiPost("/api/rollback",
                        "{\"environment\":\"staging\",\"service\":\"rollto\",\"to\":\"" + IMAGE + "@" + first + "\"}"))
                .andExpect(status().isAccepted());
        awaitIdle();
        assertThat(engine.rolled("staging", "rollto")).last().extracting(r -> r.image().digest().value()).isEqualTo(first);

        mvc.perform(apiPost("/api/rollback", "{\"environment\":\"staging\",\"service\":\"rollto\",\"to\":\""
                        + IMAGE + "@sha256:" + "e".repeat(64) + "\"}"))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.detail", startsWith("cannot roll back to")));
        mvc.perform(apiPost("/api/rollback",
                        "{\"environment\":\"staging\",\"service\":\"rollto\",\"to\":\"" + IMAGE + ":develop-1\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail", startsWith("'to' must name a digest")));
    }

    @Test
    void nothingToRollBackIs409() throws Exception {
        engine.run("staging", "fresh", IMAGE + ":develop-1");

        mvc.perform(apiPost("/api/rollback", "{\"environment\":\"staging\",\"service\":\"fresh\"}"))
                .andExpect(status().isConflict())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.title").value("Conflict"))
                .andExpect(jsonPath("$.detail")
                        .value("nothing to roll back to: the history holds no deployment of staging/fresh"));
        assertThat(engine.rolled("staging", "fresh")).isEmpty();
    }
}
