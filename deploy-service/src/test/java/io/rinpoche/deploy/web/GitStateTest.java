package io.rinpoche.deploy.web;

import static io.rinpoche.deploy.web.HookRequests.authentic;
import static io.rinpoche.deploy.web.HookToRolloutTest.digest;
import static io.rinpoche.deploy.web.HookToRolloutTest.push;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.rinpoche.deploy.FakeEngine;
import io.rinpoche.deploy.FakeEngineConfiguration;
import io.rinpoche.deploy.history.Deployment;
import io.rinpoche.deploy.queue.RolloutScheduler;
import io.rinpoche.deploy.state.Git;
import io.rinpoche.deploy.web.api.ApiRequests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * The shipped configuration with the git state (its default) in a temporary repository and a fake engine: a hook
 * becomes an intent commit and an outcome commit that the git command line reads, the API reads its history from
 * them, seeds and rolls back to a revision, and a hook whose intent cannot be committed is refused with 503.
 * Production is forward-only: a hook with an older release is ignored, a manual rollback still goes back.
 */
@Import(FakeEngineConfiguration.class)
@SpringBootTest(properties = {"HOOK_TOKEN=" + HookRequests.HOOK_TOKEN, "ADMIN_TOKEN=" + ApiRequests.ADMIN_TOKEN,
        "rinpoche.state.reconcile-interval=1h",
        "rinpoche.policy.forward-only-environments=production"})
@AutoConfigureMockMvc
class GitStateTest {

    private static final String IMAGE = "127.0.0.1:5000/hello-django";
    private static final Path STATE = temporaryDirectory().resolve("state");

    @Autowired
    private MockMvc mvc;

    @Autowired
    private FakeEngine engine;

    @Autowired
    private RolloutScheduler scheduler;

    @DynamicPropertySource
    static void stateDirectory(DynamicPropertyRegistry registry) {
        registry.add("rinpoche.state.directory", STATE::toString);
    }

    @BeforeEach
    void servicesRun() {
        engine.run("staging", "app", IMAGE + ":develop-0");
        engine.run("production", "app", IMAGE + ":1.0.0");
    }

    @Test
    void aHookBecomesAnIntentCommitThenAnOutcomeCommitAndTheApiReadsThem() throws Exception {
        mvc.perform(authentic("registry", push(3001, "evt-3001"))).andExpect(status().isAccepted());
        await().atMost(Duration.ofSeconds(10)).until(scheduler::idle);

        String log = Git.run(STATE, "log", "-2", "--format=%s|%(trailers:key=Rinpoche-Kind,valueonly,separator=)"
                + "|%(trailers:key=Rinpoche-Deployment,valueonly,separator=)");
        String[] outcome = log.lines().toList().get(0).split("\\|");
        String[] intent = log.lines().toList().get(1).split("\\|");
        assertThat(intent[0]).startsWith("deploy staging/app: ").endsWith("(hook registry/evt-3001)");
        assertThat(intent[1]).isEqualTo("intent");
        assertThat(outcome[0]).startsWith("deployed staging/app in ");
        assertThat(outcome[1]).isEqualTo("outcome");
        assertThat(outcome[2]).isEqualTo(intent[2]);
        assertThat(Git.run(STATE, "show", "main:env/staging.images.env"))
                .contains("APP_IMAGE=" + IMAGE + ":develop-3001@" + digest(3001));
        mvc.perform(api(get("/api/deployments?size=1")))
                .andExpect(jsonPath("$.items[0].id").value(outcome[2]))
                .andExpect(jsonPath("$.items[0].trigger.eventId").value("evt-3001"))
                .andExpect(jsonPath("$.items[0].to.digest").value(digest(3001)))
                .andExpect(jsonPath("$.items[0].outcome").value("deployed"));
    }

    @Test
    void aSeedPinsOnlyAnUnpinnedServiceAndTheEnvFileIsServed() throws Exception {
        String first = IMAGE + ":1.0.0@" + digest(1);
        mvc.perform(api(post("/api/pins/seed")).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"environment\":\"production\",\"service\":\"web\",\"image\":\"" + first + "\"}"))
                .andExpect(status().isOk()).andExpect(jsonPath("$.pinned").value(first));
        mvc.perform(api(post("/api/pins/seed")).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"environment\":\"production\",\"service\":\"web\",\"image\":\"" + IMAGE + ":2@"
                                + digest(2) + "\"}"))
                .andExpect(status().isOk()).andExpect(jsonPath("$.pinned").value(first));
        mvc.perform(api(get("/api/pins/production")))
                .andExpect(status().isOk())
                .andExpect(content().string(org.hamcrest.Matchers.containsString("\nWEB_IMAGE=" + first + "\n")));
        mvc.perform(api(get("/api/pins/nowhere"))).andExpect(status().isBadRequest());
        assertThat(engine.rolled("production", "web")).isEmpty();
    }

    @Test
    void aRollbackToARevisionRestoresThatRevisionsExactDigest() throws Exception {
        mvc.perform(authentic("registry", push(4001, "evt-4001"))).andExpect(status().isAccepted());
        await().atMost(Duration.ofSeconds(10)).until(scheduler::idle);
        String revision = Git.run(STATE, "rev-parse", "--short=10", "main").strip();
        mvc.perform(authentic("registry", push(4002, "evt-4002"))).andExpect(status().isAccepted());
        await().atMost(Duration.ofSeconds(10)).until(scheduler::idle);

        mvc.perform(api(post("/api/rollback")).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"environment\":\"staging\",\"service\":\"app\",\"to\":\"" + revision + "\"}"))
                .andExpect(status().isAccepted());
        await().atMost(Duration.ofSeconds(10)).until(scheduler::idle);

        assertThat(engine.rolled("staging", "app")).last().extracting(r -> r.image().digest().value())
                .isEqualTo(digest(4001));
        assertThat(Git.run(STATE, "show", "main:env/staging.images.env")).contains("@" + digest(4001));
        mvc.perform(api(post("/api/rollback")).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"environment\":\"staging\",\"service\":\"app\",\"to\":\"0123456789abc\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value("no revision '0123456789abc' on branch main of the state repository"));
    }

    @Test
    void aHookWhoseIntentCannotBeCommittedIsRefusedWith503AndTakenWhenRedelivered() throws Exception {
        Path lock = STATE.resolve("refs/heads/main.lock");
        Files.writeString(lock, "held by another writer\n");
        try {
            mvc.perform(authentic("registry", push(5001, "evt-5001")))
                    .andExpect(status().isServiceUnavailable())
                    .andExpect(jsonPath("$.detail", org.hamcrest.Matchers.startsWith(
                            "the deploy could not be recorded in the state repository")));
            assertThat(engine.rolled("staging", "app")).noneMatch(r -> r.image().tag().equals("develop-5001"));
        } finally {
            Files.delete(lock);
        }
        mvc.perform(authentic("registry", push(5001, "evt-5001"))).andExpect(status().isAccepted())
                .andExpect(jsonPath("$.events[0].outcome").value("planned"));
        await().atMost(Duration.ofSeconds(10)).until(scheduler::idle);
        assertThat(engine.rolled("staging", "app")).last().extracting(r -> r.image().tag()).isEqualTo("develop-5001");
    }

    @Test
    void inAForwardOnlyEnvironmentAnOlderReleaseFromAHookIsIgnoredButARollbackGoesBack() throws Exception {
        mvc.perform(authentic("registry", release("1.3.0", "evt-130"))).andExpect(status().isAccepted())
                .andExpect(jsonPath("$.events[0].outcome").value("planned"));
        await().atMost(Duration.ofSeconds(10)).until(scheduler::idle);
        int rolled = engine.rolled("production", "app").size();

        mvc.perform(authentic("registry", release("1.2.0", "evt-120"))).andExpect(status().isAccepted())
                .andExpect(jsonPath("$.outcome").value("ignored"))
                .andExpect(jsonPath("$.events[0].reason").value("forward-only rule production-release: 1.2.0 is older"
                        + " than 1.3.0, which production/app is pinned to (a manual rollback can go back)"));
        assertThat(engine.rolled("production", "app")).hasSize(rolled);
        assertThat(Git.run(STATE, "show", "main:env/production.images.env")).contains("APP_IMAGE=" + IMAGE + ":1.3.0@");

        mvc.perform(api(post("/api/rollback")).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"environment\":\"production\",\"service\":\"app\"}"))
                .andExpect(status().isAccepted());
        await().atMost(Duration.ofSeconds(10)).until(scheduler::idle);
        assertThat(engine.rolled("production", "app")).last().extracting(r -> r.image().tag()).isEqualTo("1.0.0");
        mvc.perform(api(post("/api/deployments")).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"environment\":\"production\",\"service\":\"app\",\"image\":\"" + IMAGE
                                + ":1.2.0@" + digest(120) + "\"}"))
                .andExpect(status().isAccepted());
        await().atMost(Duration.ofSeconds(10)).until(scheduler::idle);
        assertThat(engine.rolled("production", "app")).last().extracting(r -> r.image().tag()).isEqualTo("1.2.0");
    }

    // A CNCF distribution notification of a push of hello-django:<version>, which the shipped rules send to production.
    private static byte[] release(String version, String eventId) {
        return ("{\"events\": [{\"id\": \"" + eventId + "\", \"timestamp\": \"2026-11-25T21:10:04Z\", \"action\": \"push\","
                + " \"target\": {\"mediaType\": \"application/vnd.docker.distribution.manifest.v2+json\", \"size\": 1574,"
                + " \"digest\": \"" + digest(version.hashCode()) + "\", \"repository\": \"hello-django\", \"tag\": \""
                + version + "\"}, \"request\": {\"id\": \"r-" + eventId + "\", \"host\": \"127.0.0.1:5000\","
                + " \"method\": \"PUT\"}}]}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static MockHttpServletRequestBuilder api(MockHttpServletRequestBuilder request) {
        return request.header("Authorization", "Bearer " + ApiRequests.ADMIN_TOKEN);
    }

    private static Path temporaryDirectory() {
        try {
            // Under target/, so that `mvn clean` removes it.
            return Files.createTempDirectory(Files.createDirectories(Path.of("target")), "git-state-");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
