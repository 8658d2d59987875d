package io.rinpoche.deploy.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.rinpoche.deploy.FakeEngine;
import io.rinpoche.deploy.history.Deployment;
import io.rinpoche.deploy.history.InMemoryDeploymentHistory;
import io.rinpoche.deploy.history.Intent;
import io.rinpoche.deploy.history.Trigger;
import io.rinpoche.deploy.metrics.DeploymentMetrics;
import io.rinpoche.deploy.model.DeployRequest;
import io.rinpoche.deploy.model.Environment;
import io.rinpoche.deploy.model.ImageRef;
import io.rinpoche.deploy.model.ServiceName;
import io.rinpoche.deploy.rollout.ImageCheck;
import io.rinpoche.deploy.rollout.RolloutResult.Outcome;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The scheduler with a fake engine: serialized and coalesced per service, parallel across, every intent recorded. */
class RolloutSchedulerTest {

    private static final String REPOSITORY = "127.0.0.1:5000/hello-django";

    private final FakeEngine engine = new FakeEngine()
            .run("staging", "app", REPOSITORY + ":develop-0")
            .run("staging", "worker", REPOSITORY + ":develop-0")
            .run("production", "app", REPOSITORY + ":1.0.0");
    private final InMemoryDeploymentHistory history = new InMemoryDeploymentHistory(10_000);
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final DeploymentMetrics metrics = new DeploymentMetrics(registry);
    private RolloutScheduler scheduler = scheduler(4);

    private RolloutScheduler scheduler(int parallel) {
        return scheduler(new QueueProperties(parallel, Duration.ofSeconds(5), 0, Duration.ZERO));
    }

    private RolloutScheduler scheduler(QueueProperties properties) {
        return new RolloutScheduler(engine, history, metrics, Clock.systemUTC(), properties);
    }

    @AfterEach
    void closeScheduler() {
        engine.release();
        scheduler.close();
    }

    /** What a hook delivery of event {@code eventId} submits. */
    static Intent plan(String environment, String service, String tag, String eventId) {
        ImageRef image = ImageRef.parse(REPOSITORY + ":" + tag);
        return Intent.of(new DeployRequest(Environment.of(environment), ServiceName.of(service), image),
                Trigger.hook("registry", eventId));
    }

    static Intent plan(String service, String tag) {
        return plan("staging", service, tag, "event-" + service + "-" + tag);
    }

    private void awaitIdle() {
        await().atMost(Duration.ofSeconds(20)).until(scheduler::idle);
    }

    private List<String> tagsRolled(String environment, String service) {
        return engine.rolled(environment, service).stream().map(r -> r.image().tag()).toList();
    }

    private double counter(String series) {
        return registry.scrape().lines().filter(line -> line.startsWith(series + " ")).findFirst()
                .map(line -> Double.parseDouble(line.substring(series.length() + 1))).orElse(0.0);
    }

    @Test
    void aPlanIsRolledAndRecordedWithItsTrigger() {
        scheduler.submit(plan("staging", "app", "develop-1", "evt-1"));
        awaitIdle();

        assertThat(tagsRolled("staging", "app")).containsExactly("develop-1");
        Deployment deployment = history.page(0, 10).items().get(0);
        assertThat(deployment.outcome()).isEqualTo(Outcome.DEPLOYED);
        assertThat(deployment.trigger()).isEqualTo(Trigger.hook("registry", "evt-1"));
        assertThat(deployment.from().reference()).isEqualTo(REPOSITORY + ":develop-0");
        assertThat(deployment.to().reference()).isEqualTo(REPOSITORY + ":develop-1");
        assertThat(deployment.duration()).isEqualTo(Duration.ofMillis(4200));
        assertThat(deployment.reason()).isEmpty();
        assertThat(registry.scrape()).contains("rinpoche_hook_to_serving_seconds_count{environment=\"staging\",service=\"app\"} 1");
    }

    @Test
    void onlyAHookDeployMustBeWhatItsTagPointsToAtTheRegistry() {
        Intent hook = plan("staging", "app", "develop-1", "evt-1");
        Intent manual = Intent.of(new DeployRequest(Environment.of("staging"), ServiceName.of("worker"),
                ImageRef.parse(REPOSITORY + ":develop-1")), Trigger.manual("admin"));
        Intent rollback = Intent.of(new DeployRequest(Environment.of("production"), ServiceName.of("app"),
                ImageRef.parse(REPOSITORY + ":0.9.0")), Trigger.rollback("admin"));
        scheduler.submit(hook);
        scheduler.submit(manual);
        scheduler.submit(rollback);
        awaitIdle();

        assertThat(engine.check(hook.request())).isEqualTo(ImageCheck.TAG_AT_REGISTRY);
        assertThat(engine.check(manual.request())).isEqualTo(ImageCheck.AS_PINNED);
        assertThat(engine.check(rollback.request())).isEqualTo(ImageCheck.AS_PINNED);
    }

    @Test
    void oneRolloutPerServiceAtATime() throws Exception {
        appRollingDevelop1Held();
        scheduler.submit(plan("app", "develop-2"));

        // While the first is held, the second must wait: no second rollout of the service begins.
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .until(() -> engine.rolled("staging", "app").size() == 1);
        engine.release();
        awaitIdle();

        assertThat(tagsRolled("staging", "app")).containsExactly("develop-1", "develop-2");
        assertThat(engine.maxActivePerService()).isEqualTo(1);
        assertThat(history.page(0, 10).items()).extracting(d -> d.requested().tag())
                .containsExactly("develop-2", "develop-1");
    }

    @Test
    void hooksDuringARolloutCollapseToTheNewest() throws Exception {
        appRollingDevelop1Held();
        scheduler.submit(plan("app", "develop-2"));
        scheduler.submit(plan("app", "develop-3"));
        scheduler.submit(plan("app", "develop-4"));
        engine.release();
        awaitIdle();

        assertThat(tagsRolled("staging", "app")).containsExactly("develop-1", "develop-4");
        assertThat(history.page(0, 10).items()).extracting(d -> d.requested().tag(), Deployment::outcome)
                .containsExactly(tuple("develop-4", Outcome.DEPLOYED),
                        tuple("develop-1", Outcome.DEPLOYED));
        String tags = "environment=\"staging\",outcome=\"%s\",service=\"app\"";
        assertThat(counter("rinpoche_rollout_requests_total{" + tags.formatted("queued") + "}")).isEqualTo(4);
        assertThat(counter("rinpoche_rollout_requests_total{" + tags.formatted("superseded") + "}")).isEqualTo(2);
        assertThat(counter("rinpoche_deployments_total{" + tags.formatted("deployed") + ",trigger=\"hook\"}")).isEqualTo(2);
    }

    @Test
    void aBurstOf500HooksRunsAtMostTwoRolloutsAndEndsOnTheNewest() throws Exception {
        appRollingDevelop1Held();
        for (int i = 2; i <= 500; i++) {
            scheduler.submit(plan("app", "develop-" + i));
        }
        engine.release();
        awaitIdle();

        assertThat(tagsRolled("staging", "app")).containsExactly("develop-1", "develop-500");
        assertThat(history.page(0, 1).items().get(0)).satisfies(last -> {
            assertThat(last.outcome()).isEqualTo(Outcome.DEPLOYED);
            assertThat(last.to().reference()).isEqualTo(REPOSITORY + ":develop-500");
        });
    }

    @Test
    void differentServicesRollInParallel() throws Exception {
        engine.hold();
        scheduler.submit(plan("staging", "app", "develop-1", "a"));
        scheduler.submit(plan("staging", "worker", "develop-1", "b"));
        scheduler.submit(plan("production", "app", "1.1.0", "c"));

        engine.awaitStarted(3); // all three began while none could finish
        assertThat(registry.scrape()).contains("rinpoche_rollouts_in_progress 3.0");
        engine.release();
        awaitIdle();

        assertThat(engine.maxActive()).isEqualTo(3);
        assertThat(history.page(0, 10).total()).isEqualTo(3);
        assertThat(registry.scrape()).contains("rinpoche_rollouts_in_progress 0.0");
    }

    @Test
    void thePoolBoundsHowManyRollAtOnceAndLaterLanesWait() throws Exception {
        scheduler.close();
        scheduler = scheduler(2);
        engine.hold();
        scheduler.submit(plan("staging", "app", "develop-1", "a"));
        scheduler.submit(plan("staging", "worker", "develop-1", "b"));
        scheduler.submit(plan("production", "app", "1.1.0", "c"));
        engine.awaitStarted(2);

        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> engine.rolled().size() == 2);
        engine.release();
        awaitIdle();

        assertThat(engine.rolled()).hasSize(3);
        assertThat(engine.maxActive()).isEqualTo(2);
    }

    @Test
    void aTargetAlreadyOnThatDigestIsRecordedAsSkipped() {
        scheduler.submit(plan("staging", "app", "develop-0", "again"));
        awaitIdle();

        Deployment skipped = history.page(0, 1).items().get(0);
        assertThat(skipped.outcome()).isEqualTo(Outcome.SKIPPED);
        assertThat(skipped.reason()).startsWith("already running");
        assertThat(registry.scrape())
                .contains("rinpoche_deployments_total{environment=\"staging\",outcome=\"skipped\",service=\"app\",trigger=\"hook\"} 1.0")
                .doesNotContain("rinpoche_hook_to_serving_seconds_count");
    }

    @Test
    void aRolledBackImageIsRecordedWithItsReason() {
        scheduler.submit(plan("app", "bad-1"));
        awaitIdle();

        Deployment deployment = history.page(0, 1).items().get(0);
        assertThat(deployment.outcome()).isEqualTo(Outcome.ROLLED_BACK);
        assertThat(deployment.reason()).contains("not healthy after 60 s");
    }

    @Test
    void aRolloutExceptionIsRecordedAsFailedAndTheLaneGoesOn() {
        scheduler.submit(plan("app", "boom-1"));
        awaitIdle();
        scheduler.submit(plan("app", "crash-1"));
        awaitIdle();
        scheduler.submit(plan("app", "develop-2"));
        awaitIdle();

        assertThat(history.page(0, 10).items()).extracting(Deployment::outcome)
                .containsExactly(Outcome.DEPLOYED, Outcome.FAILED, Outcome.FAILED);
        List<Deployment> items = history.page(0, 10).items();
        assertThat(items.get(2).reason()).contains("cannot pull").contains("manifest unknown");
        assertThat(items.get(2).from()).isNull();
        assertThat(items.get(1).reason()).contains("engine bug while rolling");
        assertThat(registry.scrape())
                .contains("rinpoche_deployments_total{environment=\"staging\",outcome=\"failed\",service=\"app\",trigger=\"hook\"} 2.0");
    }

    @Test
    void aFailureThatMayPassIsTriedAgainWithBackoffAndLands() {
        scheduler.close();
        scheduler = scheduler(new QueueProperties(4, Duration.ofSeconds(5), 3, Duration.ofMillis(20)));
        scheduler.submit(plan("staging", "app", "flaky-1", "f1"));
        awaitIdle();

        assertThat(tagsRolled("staging", "app")).containsExactly("flaky-1", "flaky-1", "flaky-1");
        assertThat(history.page(0, 1).items().get(0).outcome()).isEqualTo(Outcome.DEPLOYED);
        assertThat(counter("rinpoche_rollout_retries_total{environment=\"staging\",service=\"app\"}")).isEqualTo(2);
    }

    @Test
    void aFailureThatDoesNotPassWithinTheRetriesIsFailed() {
        scheduler.close();
        scheduler = scheduler(new QueueProperties(4, Duration.ofSeconds(5), 1, Duration.ofMillis(20)));
        scheduler.submit(plan("staging", "app", "flaky-2", "f2"));
        awaitIdle();

        assertThat(tagsRolled("staging", "app")).containsExactly("flaky-2", "flaky-2");
        Deployment failed = history.page(0, 1).items().get(0);
        assertThat(failed.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(failed.reason()).endsWith("connection refused");
    }

    @Test
    void aServiceTheEngineDoesNotKnowFails() {
        scheduler.submit(plan("staging", "nope", "develop-1", "x"));
        awaitIdle();

        assertThat(history.page(0, 1).items().get(0).reason()).contains("no running container of service 'nope'");
    }

    @Test
    void manualDeploysAndRollbacksGetAnIdAndTheirTrigger() {
        DeployRequest request = new DeployRequest(Environment.of("staging"), ServiceName.of("app"),
                ImageRef.parse(REPOSITORY + ":develop-7"));
        Intent intent = Intent.of(request, Trigger.manual("admin"));
        scheduler.submit(intent);
        awaitIdle();

        Deployment deployment = history.page(0, 1).items().get(0);
        assertThat(deployment.id()).isEqualTo(intent.id()).matches("[0-9a-f]{16}");
        assertThat(deployment.trigger()).isEqualTo(Trigger.manual("admin"));
        assertThat(registry.scrape()).doesNotContain("rinpoche_hook_to_serving_seconds_count");
    }

    @Test
    void concurrentSubmittersLoseNothing() {
        // Each thread pushes 300 versions to its own service while the workers drain them: every request races
        // with a worker taking the lane's pending one or letting the lane go.
        List<String> services = List.of("app", "worker", "web", "cron");
        services.forEach(service -> engine.run("staging", service, REPOSITORY + ":develop-0"));
        List<CompletableFuture<Void>> submitters = new ArrayList<>();
        for (String service : services) {
            submitters.add(CompletableFuture.runAsync(() -> IntStream.rangeClosed(1, 300)
                    .forEach(i -> scheduler.submit(plan(service, "develop-" + i)))));
        }
        submitters.forEach(f -> f.orTimeout(20, TimeUnit.SECONDS).join());
        awaitIdle();

        for (String service : services) {
            List<Integer> rolled = tagsRolled("staging", service).stream()
                    .map(tag -> Integer.parseInt(tag.substring("develop-".length()))).toList();
            assertThat(rolled).as(service).isSorted().doesNotHaveDuplicates().endsWith(300);
        }
        assertThat(engine.maxActivePerService()).isEqualTo(1);
    }

    @Test
    void closingWaitsForTheRunningRolloutAndDropsThePendingOne() throws Exception {
        appRollingDevelop1Held();
        scheduler.submit(plan("app", "develop-2"));
        CompletableFuture<Void> closing = CompletableFuture.runAsync(scheduler::close);

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThatThrownBy(() -> scheduler.submit(plan("app", "develop-3")))
                        .isInstanceOf(IllegalStateException.class).hasMessageContaining("shutting down"));
        assertThat(closing).isNotDone();
        engine.release();
        closing.get(10, TimeUnit.SECONDS);

        assertThat(tagsRolled("staging", "app")).containsExactly("develop-1");
        assertThat(history.page(0, 10).items()).singleElement()
                .satisfies(d -> assertThat(d.outcome()).isEqualTo(Outcome.DEPLOYED));
    }

    /** A rollout of staging/app to develop-1 that has begun and is held until {@code engine.release()}. */
    private void appRollingDevelop1Held() throws Exception {
        engine.hold();
        scheduler.submit(plan("app", "develop-1"));
        engine.awaitStarted(1);
    }
}
