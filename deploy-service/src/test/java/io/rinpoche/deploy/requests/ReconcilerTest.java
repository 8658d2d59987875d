package io.rinpoche.deploy.requests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.rinpoche.deploy.FakeEngine;
import io.rinpoche.deploy.history.Deployment;
import io.rinpoche.deploy.history.Intent;
import io.rinpoche.deploy.history.Trigger;
import io.rinpoche.deploy.metrics.DeploymentMetrics;
import io.rinpoche.deploy.model.Digest;
import io.rinpoche.deploy.model.Environment;
import io.rinpoche.deploy.model.ImageRef;
import io.rinpoche.deploy.model.ServiceName;
import io.rinpoche.deploy.queue.QueueProperties;
import io.rinpoche.deploy.queue.RolloutScheduler;
import io.rinpoche.deploy.rollout.RolloutResult;
import io.rinpoche.deploy.state.Git;
import io.rinpoche.deploy.state.GitDeploymentHistory;
import io.rinpoche.deploy.state.PinFile;
import io.rinpoche.deploy.state.StateRepository;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reconcile loop between a real state repository and a fake engine. */
class ReconcilerTest {

    private static final Environment STAGING = Environment.of("staging");
    private static final ServiceName APP = ServiceName.of("app");

    @TempDir
    Path dir;
    private final FakeEngine engine = new FakeEngine().run("staging", "app", image(1).toString());
    private final StateProblems problems = new StateProblems();
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private StateRepository state;
    private GitDeploymentHistory history;
    private RolloutScheduler scheduler;
    private Reconciler reconciler;

    @BeforeEach
    void open() {
        state = StateRepository.open(dir.resolve("state"), null);
        history = new GitDeploymentHistory(state);
        QueueProperties properties = new QueueProperties(2, Duration.ofSeconds(5), 0, Duration.ZERO);
        DeploymentMetrics metrics = new DeploymentMetrics(registry);
        scheduler = new RolloutScheduler(engine, history, metrics, Clock.systemUTC(), properties);
        reconciler = new Reconciler(state, history, engine, scheduler, List.of(STAGING, Environment.of("production")),
                problems, metrics, Clock.systemUTC());
    }

    @AfterEach
    void close() {
        scheduler.close();
        reconciler.close();
        state.close();
    }

    @Test
    void anIntentWithoutOutcomeIsRolledUnderItsOwnIdAndTrigger() {
        // What a crash right after the 202 leaves: the intent is committed, nothing was rolled.
        history.intend(new Intent("acked", STAGING, APP, image(2), Trigger.hook("registry", "ev-2")));

        reconciler.reconcile();
        await().atMost(Duration.ofSeconds(10)).until(scheduler::idle);

        assertThat(engine.rolled("staging", "app")).extracting(r -> r.image()).containsExactly(image(2));
        Deployment outcome = history.page(0, 1).items().get(0);
        assertThat(outcome.id()).isEqualTo("acked");
        assertThat(outcome.trigger()).isEqualTo(Trigger.hook("registry", "ev-2"));
        assertThat(outcome.outcome()).isEqualTo(RolloutResult.Outcome.DEPLOYED);
        assertThat(history.pending(STAGING, APP)).isEmpty();
    }

    @Test
    void aDeployWhoseRolloutEndedWhileTheServiceWasDownIsRecordedAsDeployedOnce() {
        history.seed(new Intent("seed", STAGING, APP, image(1), Trigger.manual("platform up")));
        history.intend(new Intent("crashed", STAGING, APP, image(2), Trigger.hook("registry", "ev-2")));
        // The engine carried the rollout on to its end while the service was down (Swarm does).
        engine.run("staging", "app", image(2).toString());
        // The process that accepted the intent sees a rollout that is its own, still running: nothing to record.
        reconciler.reconcile();
        assertThat(history.page(0, 1).total()).isZero();

        try (Reconciler restarted = new Reconciler(state, history, engine, scheduler, List.of(STAGING), problems,
                new DeploymentMetrics(registry), Clock.offset(Clock.systemUTC(), Duration.ofSeconds(2)))) {
            restarted.reconcile();
            restarted.reconcile();
        }

        assertThat(engine.rolled()).isEmpty();
        assertThat(history.page(0, 10).items()).singleElement().satisfies(landed -> {
            assertThat(landed.id()).isEqualTo("crashed");
            assertThat(landed.outcome()).isEqualTo(RolloutResult.Outcome.DEPLOYED);
            assertThat(landed.trigger()).isEqualTo(Trigger.hook("registry", "ev-2"));
            assertThat(landed.from().digest()).isEqualTo(image(1).digest());
            assertThat(landed.to()).isEqualTo(FakeEngine.version(image(2)));
            assertThat(landed.reason()).startsWith("the deploy service stopped before this rollout ended");
        });
        assertThat(history.pending(STAGING, APP)).isEmpty();
        // A rollback goes back to what the interrupted deploy replaced.
        assertThat(new Rollbacks(history).target(STAGING, APP)).isEqualTo(image(1));
    }

    @Test
    void aSeedThatRunsIsNoDeploy() {
        history.seed(new Intent("seed", STAGING, APP, image(1), Trigger.manual("platform up")));

        try (Reconciler restarted = new Reconciler(state, history, engine, scheduler, List.of(STAGING), problems,
                new DeploymentMetrics(registry), Clock.offset(Clock.systemUTC(), Duration.ofSeconds(2)))) {
            restarted.reconcile();
        }

        assertThat(history.page(0, 1).total()).isZero();
        assertThat(engine.rolled()).isEmpty();
    }

    @Test
    void aServiceOnItsPinAndAServiceWithoutPinAreLeftAlone() {
        engine.run("staging", "worker", image(5).toString());
        history.intend(new Intent("d1", STAGING, APP, image(1), Trigger.manual("admin")));

        reconciler.reconcile();

        assertThat(scheduler.idle()).isTrue();
        assertThat(engine.rolled()).isEmpty();
        // The pinned service's deploy counter exists before its first deploy, so that deploy counts in increase().
        assertThat(registry.scrape()).contains(
                "rinpoche_deployments_total{environment=\"staging\",outcome=\"deployed\",service=\"app\",trigger=\"reconcile\"} 0.0")
                .contains("rinpoche_service_restarts_total{environment=\"staging\",service=\"app\"} 0.0")
                .doesNotContain("service=\"worker\"");
    }

    @Test
    void aServiceMovedOffItsPinIsRolledBackOntoItAsAReconcile() {
        history.intend(new Intent("d1", STAGING, APP, image(1), Trigger.manual("admin")));
        history.append(new Deployment("d1", STAGING, APP, image(1), FakeEngine.version(image(0)),
                FakeEngine.version(image(1)), Trigger.manual("admin"), RolloutResult.Outcome.DEPLOYED,
                java.time.Instant.now(), Duration.ofSeconds(1), ""));
        engine.run("staging", "app", image(9).toString());

        reconciler.reconcile();
        await().atMost(Duration.ofSeconds(10)).until(scheduler::idle);

        assertThat(engine.rolled("staging", "app")).extracting(r -> r.image()).containsExactly(image(1));
        assertThat(history.page(0, 1).items().get(0).trigger()).isEqualTo(Trigger.reconcile());
    }

    @Test
    void aServiceWhoseReplicasRunDifferentImagesIsRolledOntoItsPin() {
        history.intend(new Intent("d1", STAGING, APP, image(1), Trigger.manual("admin")));
        history.append(new Deployment("d1", STAGING, APP, image(1), FakeEngine.version(image(0)),
                FakeEngine.version(image(1)), Trigger.manual("admin"), RolloutResult.Outcome.DEPLOYED,
                java.time.Instant.now(), Duration.ofSeconds(1), ""));
        engine.mixed("staging", "app"); // the first replica runs the pin, another one does not

        reconciler.reconcile();
        await().atMost(Duration.ofSeconds(10)).until(scheduler::idle);

        assertThat(engine.rolled("staging", "app")).extracting(r -> r.image()).containsExactly(image(1));
        assertThat(history.page(0, 1).items().get(0).outcome()).isEqualTo(RolloutResult.Outcome.DEPLOYED);
        assertThat(engine.services(STAGING).get(0).mixed()).isFalse();
    }

    @Test
    void aCorruptStateFileIsReportedAndTheRunningServiceLeftUntouched() {
        Path clone = dir.resolve("clone");
        Git.run(dir, "clone", "-q", dir.resolve("state").toString(), clone.toString());
        Git.write(clone, "env/staging.images.env", "APP_IMAGE=" + image(2) + "\nAPP_IMAGE\n");
        Git.run(clone, "add", ".");
        Git.run(clone, "-c", "user.name=Ada", "-c", "user.email=ada@example.com", "commit", "-q", "-m", "half an edit");
        Git.run(clone, "push", "-q", "origin", "main");

        reconciler.reconcile();

        assertThat(engine.rolled()).isEmpty();
        String commit = Git.run(clone, "rev-parse", "--short=12", "HEAD").strip();
        assertThat(problems.of(STAGING)).contains("env/staging.images.env line 2: expected <SERVICE>_IMAGE=<image>,"
                + " found 'APP_IMAGE' (last changed by commit " + commit + ", Ada <ada@example.com>: half an edit)");
        EnvironmentState shown = new Environments(List.of(STAGING), engine, problems).states().get(0);
        assertThat(shown.error()).startsWith("the desired state cannot be read: env/staging.images.env line 2");
        assertThat(shown.services()).hasSize(1);
        assertThat(PinFile.key(APP)).isEqualTo("APP_IMAGE");
    }

    @Test
    void aTrailerThatCannotBeReadIsReportedByCommitAndTheOtherEnvironmentsStillReconcile() {
        Environment production = Environment.of("production");
        history.intend(new Intent("p1", production, APP, image(1), Trigger.manual("admin")));
        engine.run("production", "app", image(9).toString());
        Path clone = dir.resolve("clone");
        Git.run(dir, "clone", "-q", dir.resolve("state").toString(), clone.toString());
        Git.write(clone, "env/staging.images.env", "APP_IMAGE=" + image(2) + "\n");
        Git.run(clone, "add", ".");
        Git.run(clone, "-c", "user.name=Ada", "-c", "user.email=ada@example.com", "commit", "-q", "-m",
                "deploy staging/app\n\nRinpoche-Kind: intent\nRinpoche-Deployment: bad\nRinpoche-Environment: staging\n"
                        + "Rinpoche-Service: app\nRinpoche-To: " + "x".repeat(300) + ":1\nRinpoche-Trigger: manual\n"
                        + "Rinpoche-User: ada");
        Git.run(clone, "push", "-q", "origin", "main");
        String bad = Git.run(clone, "rev-parse", "--short=12", "HEAD").strip();

        reconciler.reconcile();
        await().atMost(Duration.ofSeconds(10)).until(scheduler::idle);

        assertThat(problems.of(STAGING)).hasValueSatisfying(problem -> assertThat(problem)
                .startsWith("commit " + bad + " has Rinpoche-* trailers that cannot be read"));
        assertThat(engine.rolled("staging", "app")).isEmpty();
        assertThat(engine.rolled("production", "app")).extracting(r -> r.image()).containsExactly(image(1));
        assertThat(history.page(0, 10).items()).extracting(Deployment::id).containsExactly("p1");
    }

    private static ImageRef image(int n) {
        return ImageRef.parse("127.0.0.1:5000/hello-django:develop-" + n + "@"
                + Digest.parse("sha256:" + String.format("%064x", n)));
    }
}
