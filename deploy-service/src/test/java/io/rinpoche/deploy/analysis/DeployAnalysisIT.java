package io.rinpoche.deploy.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rinpoche.deploy.FakeEngine;
import io.rinpoche.deploy.FakeEngineConfiguration;
import io.rinpoche.deploy.history.Deployment;
import io.rinpoche.deploy.history.DeploymentHistory;
import io.rinpoche.deploy.history.Trigger;
import io.rinpoche.deploy.model.Environment;
import io.rinpoche.deploy.model.ImageRef;
import io.rinpoche.deploy.model.ServiceName;
import io.rinpoche.deploy.requests.ManualRequests;
import io.rinpoche.deploy.rollout.RolloutResult.Outcome;
import io.rinpoche.deploy.state.StateRepository;
import io.rinpoche.testing.Command;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The analysis after a deploy against a real Prometheus (rinpoche/prometheus) scraping {@link SyntheticEdge}, the edge
 * metrics of production's {@code app} as nginx exports them, every second. The deploy service is the shipped one with
 * the git state and the fake engine; windows are short: watch 20 s, checks every 2 s, baseline 30 s, 20 requests at
 * least. A version that fails 20 % of requests is rolled back within the window, through the queue and the state
 * repository (its pin restored to the old version); a healthy one passes and stays; with Prometheus stopped, the deploy
 * is "not analysed" and says why. Prints the time from the bad deploy to its rollback.
 */
@Import(FakeEngineConfiguration.class)
@SpringBootTest(properties = {"HOOK_TOKEN=test-hook-token-0123456789", "ADMIN_TOKEN=test-admin-token-0123456789",
        "rinpoche.state.reconcile-interval=1h", "rinpoche.analysis.environments=production",
        "rinpoche.analysis.window=20s", "rinpoche.analysis.check-every=2s", "rinpoche.analysis.baseline=30s",
        "rinpoche.analysis.min-requests=20"})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeployAnalysisIT {

    private static final String IMAGE = "127.0.0.1:5000/hello-django";
    private static final Environment PRODUCTION = Environment.of("production");
    private static final ServiceName APP = ServiceName.of("app");
    private static SyntheticEdge edge;
    private static TestPrometheus prometheus;
    private static Path state;

    @Autowired
    private ManualRequests requests;
    @Autowired
    private DeploymentHistory history;
    @Autowired
    private StateRepository pins;
    @Autowired
    private FakeEngine engine;

    @BeforeAll
    static void startEdgeAndPrometheus() throws Exception {
        edge = new SyntheticEdge("production", "app", 50);
        prometheus = new TestPrometheus(edge.port());
        state = java.nio.file.Files.createTempDirectory("rinpoche-analysis-state").resolve("state");
    }

    @AfterAll
    static void stop() throws Exception {
        edge.close();
        prometheus.close();
        try (var files = java.nio.file.Files.walk(state.getParent())) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("rinpoche.analysis.prometheus-url", () -> prometheus.url().toString());
        registry.add("rinpoche.state.directory", state::toString);
    }

    @BeforeEach
    void productionRunsTheOldVersion() {
        if (engine.services(PRODUCTION).isEmpty()) {
            engine.run("production", "app", IMAGE + ":1.0.0");
        }
    }

    @Test
    @Order(1)
    void aVersionThatFailsAFifthOfRequestsIsRolledBackWithinTheWindow() {
        // A baseline of 15 s or more: 0 % failed.
        await().atMost(Duration.ofSeconds(60)).until(() -> edge.requests() > 15 * 50);
        requests.deploy("production", "app", IMAGE + ":1.1.0");
        Instant deployed = Instant.now();
        edge.failing(20);

        Deployment rollback = analysisOf("1.1.0");
        Duration toRollback = Duration.between(deployed, rollback.started().plus(rollback.duration()));
        edge.failing(0);
        System.out.printf("bad deploy (20 %% failing, window 20 s, checks every 2 s) to its automatic rollback: %.1f s%n",
                toRollback.toMillis() / 1000.0);

        assertThat(rollback.outcome()).isEqualTo(Outcome.ROLLED_BACK);
        assertThat(rollback.reason()).startsWith("analysis: 5xx share rose by more than 5.0 points: after the deploy")
                .contains("before (30 s): 5xx 0.0 %");
        assertThat(toRollback).isLessThan(Duration.ofSeconds(20 + 5));  // the window, and the fake's 4.2 s rollout
        assertThat(engine.services(PRODUCTION).get(0).image().digest())
                .isEqualTo(FakeEngine.version(ImageRef.parse(IMAGE + ":1.0.0")).digest());
        assertThat(pins.pins(PRODUCTION).pin(APP).orElseThrow().tag()).isEqualTo("1.0.0");
        String log = Command.run(Duration.ofSeconds(10), Map.of(), List.of("git", "--git-dir", state.toString(), "log",
                "-1", "--format=%B")).output();
        assertThat(log).contains("Rinpoche-Trigger: analysis", "Rinpoche-Outcome: rolled_back",
                "Rinpoche-Reason: analysis: 5xx share rose");
    }

    @Test
    @Order(2)
    void aHealthyVersionPassesAndStays() {
        requests.deploy("production", "app", IMAGE + ":1.2.0");

        Deployment verdict = analysisOf("1.2.0");

        assertThat(verdict.outcome()).isEqualTo(Outcome.SKIPPED);
        assertThat(verdict.reason()).startsWith("analysis passed: after the deploy (20 s): 5xx 0.0 %");
        assertThat(engine.services(PRODUCTION).get(0).image().reference()).endsWith(":1.2.0");
        assertThat(pins.pins(PRODUCTION).pin(APP).orElseThrow().tag()).isEqualTo("1.2.0");
    }

    @Test
    @Order(3)
    void withoutPrometheusTheDeployIsNotAnalysed() {
        prometheus.stop();
        edge.failing(50);   // unseen: nobody can judge it
        requests.deploy("production", "app", IMAGE + ":1.3.0");

        Deployment verdict = analysisOf("1.3.0");

        assertThat(verdict.outcome()).isEqualTo(Outcome.SKIPPED);
        assertThat(verdict.reason()).startsWith("not analysed: Prometheus at " + prometheus.url() + " is unreachable");
        assertThat(engine.services(PRODUCTION).get(0).image().reference()).endsWith(":1.3.0");
    }

    // The analysis entry that follows the deploy of `tag`: the rollback (whose `from` is that version) or the verdict.
    private Deployment analysisOf(String tag) {
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> history.newest(entry -> entry.environment().equals(PRODUCTION)
                        && entry.trigger().kind() == Trigger.Kind.ANALYSIS && entry.from() != null
                        && entry.from().reference().endsWith(":" + tag)).orElse(null), entry -> entry != null);
    }
}
