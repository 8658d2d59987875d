package io.rinpoche.deploy.requests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.rinpoche.deploy.FakeEngine;
import io.rinpoche.deploy.analysis.AnalysisProperties;
import io.rinpoche.deploy.analysis.EdgeFigures;
import io.rinpoche.deploy.analysis.EdgeMetricsException;
import io.rinpoche.deploy.history.Deployment;
import io.rinpoche.deploy.history.InMemoryDeploymentHistory;
import io.rinpoche.deploy.history.Intent;
import io.rinpoche.deploy.history.Trigger;
import io.rinpoche.deploy.metrics.AnalysisMetrics;
import io.rinpoche.deploy.metrics.DeploymentMetrics;
import io.rinpoche.deploy.model.DeployRequest;
import io.rinpoche.deploy.model.Environment;
import io.rinpoche.deploy.model.ImageRef;
import io.rinpoche.deploy.model.ServiceName;
import io.rinpoche.deploy.policy.MatchKind;
import io.rinpoche.deploy.policy.PolicyProperties.RuleProperties;
import io.rinpoche.deploy.queue.QueueProperties;
import io.rinpoche.deploy.queue.RolloutScheduler;
import io.rinpoche.deploy.rollout.RolloutResult.Outcome;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The analysis after a deploy on the real scheduler, the fake engine and figures the test sets (Prometheus itself:
 * {@code DeployAnalysisIT}). Short windows: 1 s checks; the fake engine reports 4.2 s per rollout, so a passing
 * analysis ends about 6 s after its deploy.
 */
class DeployAnalysesTest {

    private static final String REPOSITORY = "127.0.0.1:5000/hello-django";
    private static final EdgeFigures BASELINE = new EdgeFigures(600, 5000, 5, 0.08);
    private static final EdgeFigures GOOD = new EdgeFigures(2, 400, 1, 0.08);
    private static final EdgeFigures BAD = new EdgeFigures(2, 400, 80, 0.08);

    private final FakeEngine engine = new FakeEngine()
            .run("production", "app", REPOSITORY + ":1.0.0")
            .run("staging", "app", REPOSITORY + ":develop-0");
    private final InMemoryDeploymentHistory history = new InMemoryDeploymentHistory(1000);
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final RolloutScheduler scheduler = new RolloutScheduler(engine, history, new DeploymentMetrics(registry),
            Clock.systemUTC(), new QueueProperties(2, Duration.ofSeconds(5), 0, Duration.ZERO));
    private final AtomicInteger queries = new AtomicInteger();
    private volatile EdgeFigures after = GOOD;
    private volatile RuntimeException prometheus;
    private DeployAnalyses analyses;

    private final AnalysisProperties settings = new AnalysisProperties(List.of("production"), Duration.ofSeconds(2),
            Duration.ofMinutes(10), Duration.ofSeconds(1), 100, 0.05, 1.5, Duration.ofMillis(100),
            URI.create("http://127.0.0.1:1"), Duration.ofSeconds(1));

    private void start(List<RuleProperties> rules) {
        analyses = new DeployAnalyses(scheduler, history, (environment, service, start, end) -> {
            queries.incrementAndGet();
            if (prometheus != null) {
                throw prometheus;
            }
            return Duration.between(start, end).toMinutes() >= 10 ? BASELINE : after;
        }, new AnalysisMetrics(registry), settings, new AnalysedServices(rules, settings.environments()), Clock.systemUTC());
        analyses.start();
    }

    private void start() {
        start(List.of(rule("production", null), rule("staging", null)));
    }

    @AfterEach
    void close() {
        if (analyses != null) {
            analyses.close();
        }
        scheduler.close();
    }

    @Test
    void aClearlyWorseVersionIsRolledBackThroughTheQueueWithTheFiguresAsTheReason() {
        after = BAD;
        start();
        deploy("production", "1.1.0");

        Deployment rollback = await().atMost(Duration.ofSeconds(10)).until(() -> newest("production"),
                entry -> entry.trigger().kind() == Trigger.Kind.ANALYSIS);
        assertThat(rollback.outcome()).isEqualTo(Outcome.ROLLED_BACK);
        assertThat(rollback.from().reference()).isEqualTo(REPOSITORY + ":1.1.0");
        assertThat(rollback.to().digest()).isEqualTo(FakeEngine.version(ImageRef.parse(REPOSITORY + ":1.0.0")).digest());
        assertThat(rollback.reason()).startsWith("analysis: 5xx share rose by more than 5.0 points: after the deploy")
                .contains("5xx 20.0 % of 400 requests", "before (600 s): 5xx 0.1 % of 5000 requests");
        assertThat(engine.services(Environment.of("production")).get(0).image().digest())
                .isEqualTo(rollback.to().digest());
        assertThat(verdicts("production")).containsEntry("rolled_back", 1.0).containsEntry("passed", 0.0);
        // The rollback itself is not analysed: it is no deploy of a new version.
        assertThat(engine.rolled("production", "app")).hasSize(2);
    }

    @Test
    void aVersionAsGoodAsTheOldOnePassesAndStaysAndTheHistorySaysSo() {
        start();
        deploy("production", "1.1.0");

        Deployment verdict = await().atMost(Duration.ofSeconds(15)).until(() -> newest("production"),
                entry -> entry.trigger().kind() == Trigger.Kind.ANALYSIS);
        assertThat(verdict.outcome()).isEqualTo(Outcome.SKIPPED);
        assertThat(verdict.reason()).startsWith("analysis passed: after the deploy (2 s): 5xx 0.3 % of 400 requests");
        assertThat(verdict.to().reference()).isEqualTo(REPOSITORY + ":1.1.0");
        assertThat(running("production")).startsWith(REPOSITORY + ":1.1.0");
        assertThat(verdicts("production")).containsEntry("passed", 1.0).containsEntry("rolled_back", 0.0);
    }

    @Test
    void aQuietAppIsNotAnalysedNotJudgedOnNoise() {
        after = new EdgeFigures(2, 12, 6, 0.08);  // half failed, but 12 requests
        start();
        deploy("production", "1.1.0");

        Deployment verdict = await().atMost(Duration.ofSeconds(15)).until(() -> newest("production"),
                entry -> entry.trigger().kind() == Trigger.Kind.ANALYSIS);
        assertThat(verdict.outcome()).isEqualTo(Outcome.SKIPPED);
        assertThat(verdict.reason()).startsWith("not analysed: only 12 requests at the edge in the 2 s after the deploy");
        assertThat(running("production")).startsWith(REPOSITORY + ":1.1.0");
        assertThat(verdicts("production")).containsEntry("not_analysed", 1.0);
    }

    @Test
    void withoutPrometheusTheDeployIsNotAnalysedAndSaysWhy() {
        prometheus = new EdgeMetricsException("Prometheus at http://prometheus:9090 is unreachable: connection refused");
        start();
        deploy("production", "1.1.0");

        Deployment verdict = await().atMost(Duration.ofSeconds(15)).until(() -> newest("production"),
                entry -> entry.trigger().kind() == Trigger.Kind.ANALYSIS);
        assertThat(verdict.reason()).startsWith("not analysed: Prometheus at http://prometheus:9090 is unreachable");
        assertThat(running("production")).startsWith(REPOSITORY + ":1.1.0");
        // Asked at every check of the window, not given up at the first.
        assertThat(queries.get()).isGreaterThanOrEqualTo(2);   // two checks: 1 s and 2 s into the window
    }

    @Test
    void aNewerDeployEndsTheAnalysisOfTheOlderOneWithoutRollingBack() throws Exception {
        after = BAD;
        start(List.of(rule("production", null)));
        engine.hold();
        deploy("production", "1.1.0");
        engine.awaitStarted(1);
        deploy("production", "1.2.0");   // waits in the lane while 1.1.0 rolls
        engine.release();

        await().atMost(Duration.ofSeconds(15)).until(() -> history.page(0, 10).items().stream()
                .filter(entry -> entry.trigger().kind() == Trigger.Kind.ANALYSIS).count() >= 2);
        List<String> reasons = history.page(0, 10).items().stream()
                .filter(entry -> entry.trigger().kind() == Trigger.Kind.ANALYSIS).map(Deployment::reason).toList();
        // The newest (1.2.0's) rolled back; 1.1.0's saw the newer rollout and stopped.
        assertThat(reasons).anyMatch(reason -> reason.startsWith("not analysed: ") && reason.contains("newer rollout")
                || reason.contains("came after it"));
        assertThat(engine.rolled("production", "app")).extracting(request -> request.image().tag())
                .containsExactly("1.1.0", "1.2.0", "1.1.0");
    }

    @Test
    void onlyAnalysedServicesAreWatched() throws Exception {
        start(List.of(rule("production", false), rule("staging", null)));
        deploy("production", "1.1.0");
        deploy("staging", "develop-1");

        Thread.sleep(7000);
        assertThat(history.page(0, 10).items()).noneMatch(entry -> entry.trigger().kind() == Trigger.Kind.ANALYSIS);
        assertThat(queries.get()).isZero();
    }

    @Test
    void rulesSwitchTheAnalysisOnAndOff() {
        AnalysedServices services = new AnalysedServices(List.of(rule("production", null), rule("staging", true),
                new RuleProperties("x", "registry", "shop", "*", MatchKind.GLOB, "production", "shop", false, false),
                new RuleProperties("y", "registry", "shop", "v*", MatchKind.GLOB, "production", "shop", false, null)),
                List.of("production"));

        assertThat(services.analysed(Environment.of("production"), ServiceName.of("app"))).isTrue();
        assertThat(services.analysed(Environment.of("staging"), ServiceName.of("app"))).isTrue();
        assertThat(services.analysed(Environment.of("production"), ServiceName.of("shop"))).isFalse();
        assertThat(services.analysed(Environment.of("production"), ServiceName.of("mysql"))).isFalse();
        assertThat(new AnalysedServices(List.of(rule("staging", null)), List.of("production"))
                .analysed(Environment.of("staging"), ServiceName.of("app"))).isFalse();
    }

    private static RuleProperties rule(String environment, Boolean analysis) {
        return new RuleProperties(environment, "registry", "hello-django", "*", MatchKind.GLOB, environment, "app", false,
                analysis);
    }

    private void deploy(String environment, String tag) {
        scheduler.submit(Intent.of(new DeployRequest(Environment.of(environment), ServiceName.of("app"),
                ImageRef.parse(REPOSITORY + ":" + tag)), Trigger.hook("registry", "event-" + tag)));
    }

    private Deployment newest(String environment) {
        return history.newest(entry -> entry.environment().name().equals(environment)).orElse(null);
    }

    private String running(String environment) {
        return engine.services(Environment.of(environment)).get(0).image().toString();
    }

    private java.util.Map<String, Double> verdicts(String environment) {
        java.util.Map<String, Double> counts = new java.util.HashMap<>();
        registry.find("rinpoche.deploy.analyses").tag("environment", environment).counters()
                .forEach(counter -> counts.put(counter.getId().getTag("verdict"), counter.count()));
        return counts;
    }
}
