package io.rinpoche.deploy.faults;

import static io.rinpoche.deploy.web.HookRequestsAccess.registryPush;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.rinpoche.deploy.FakeEngine;
import io.rinpoche.deploy.FakeEngineConfiguration;
import io.rinpoche.deploy.queue.RolloutScheduler;
import io.rinpoche.deploy.state.Git;
import io.rinpoche.deploy.state.StateRepository;
import io.rinpoche.deploy.web.HookRequestsAccess;
import io.rinpoche.deploy.web.api.ApiRequests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

/**
 * A state remote that accepts connections and never answers (a real {@code git daemon} behind a TCP server that
 * holds every connection until told to pass them on): the service starts, health says DEGRADED and why, every
 * hook is acknowledged within 1 s, and once the remote answers, the commits it missed are pushed and health is UP.
 * (Over git:// JGit's timeout does not end a read that never returns; the held connections are closed when the
 * remote starts answering, as a restarted server would. Over HTTP(S) the timeout ends it: see StateRemoteTest.)
 */
@Import(FakeEngineConfiguration.class)
@SpringBootTest(properties = {"HOOK_TOKEN=" + HookRequestsAccess.HOOK_TOKEN, "ADMIN_TOKEN=" + ApiRequests.ADMIN_TOKEN,
        "rinpoche.state.reconcile-interval=1s", "rinpoche.state.remote.timeout=2s"})
@AutoConfigureMockMvc
class HangingStateRemoteTest {

    private static final Path DIR = temporaryDirectory();
    private static final Path REMOTE = DIR.resolve("remote.git");
    private static final GitDaemon DAEMON = daemon();
    private static final HangingProxy PROXY = new HangingProxy(DAEMON.port());
    private static final int HOOKS = 20;

    @Autowired
    private MockMvc mvc;

    @Autowired
    private FakeEngine engine;

    @Autowired
    private RolloutScheduler scheduler;

    @Autowired
    private StateRepository state;

    @DynamicPropertySource
    static void state(DynamicPropertyRegistry registry) {
        registry.add("rinpoche.state.directory", () -> DIR.resolve("state").toString());
        registry.add("rinpoche.state.remote.url", HangingStateRemoteTest::url);
    }

    private static String url() {
        return "git://127.0.0.1:" + PROXY.port() + "/remote.git";
    }

    @AfterAll
    static void stop() {
        PROXY.close();
        DAEMON.close();
    }

    @Test
    void hooksAreAcknowledgedAtOnceAndTheirCommitsArePushedOnceTheRemoteAnswers() throws Exception {
        engine.run("staging", "app", "127.0.0.1:5000/hello-django:develop-0");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> mvc.perform(get("/actuator/health"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.status").value("DEGRADED"))
                .andExpect(jsonPath("$.components.deployService.details.reasons[*]")
                        .value(org.hamcrest.Matchers.hasItem(org.hamcrest.Matchers.containsString(url())))));

        long slowest = 0;
        List<Long> millis = new ArrayList<>();
        for (int i = 1; i <= HOOKS; i++) {
            long start = System.nanoTime();
            mvc.perform(registryPush(i)).andExpect(status().isAccepted());
            slowest = Math.max(slowest, System.nanoTime() - start);
            millis.add((System.nanoTime() - start) / 1_000_000);
        }
        System.out.println("hanging state remote: hook acknowledgement times (ms): " + millis);
        await().atMost(Duration.ofSeconds(30)).until(scheduler::idle);
        System.out.printf("hanging state remote: %d hooks acknowledged, slowest in %d ms%n", HOOKS, slowest / 1_000_000);
        assertThat(Duration.ofNanos(slowest)).isLessThan(Duration.ofSeconds(1));
        assertThat(Git.run(REMOTE, "rev-list", "--all", "--count").strip()).isEqualTo("0");

        long answered = System.nanoTime();
        PROXY.answer();
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> state.head().name()
                .equals(Git.run(REMOTE, "rev-parse", "main").strip()));
        System.out.printf("hanging state remote: %s commits pushed %d ms after it answered%n",
                Git.run(REMOTE, "rev-list", "--count", "main").strip(), (System.nanoTime() - answered) / 1_000_000);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> mvc.perform(get("/actuator/health"))
                .andExpect(jsonPath("$.status").value("UP")));
    }

    private static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("rinpoche-hanging-remote");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static GitDaemon daemon() {
        Git.run(DIR, "init", "-q", "--bare", "--initial-branch=main", REMOTE.toString());
        return new GitDaemon(DIR);
    }
}
