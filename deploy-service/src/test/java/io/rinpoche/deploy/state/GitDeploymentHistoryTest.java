package io.rinpoche.deploy.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rinpoche.deploy.history.Deployment;
import io.rinpoche.deploy.history.DeploymentPage;
import io.rinpoche.deploy.history.Intent;
import io.rinpoche.deploy.history.Trigger;
import io.rinpoche.deploy.model.Digest;
import io.rinpoche.deploy.model.Environment;
import io.rinpoche.deploy.model.ImageRef;
import io.rinpoche.deploy.model.ServiceName;
import io.rinpoche.deploy.rollout.ImageVersion;
import io.rinpoche.deploy.rollout.RolloutResult;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The history in a real git repository, read back by JGit and by the {@code git} command line. */
class GitDeploymentHistoryTest {

    static final Environment STAGING = Environment.of("staging");
    static final ServiceName APP = ServiceName.of("app");

    @TempDir
    Path dir;
    StateRepository state;
    GitDeploymentHistory history;

    @BeforeEach
    void open() {
        state = StateRepository.open(dir.resolve("state"), null);
        history = new GitDeploymentHistory(state);
    }

    @AfterEach
    void close() {
        state.close();
    }

    @Test
    void anIntentPinsTheImageInACommitTheGitCommandLineReads() {
        ImageRef image = image(1);
        history.intend(new Intent("d1", STAGING, APP, image, Trigger.hook("registry", "ev-1")));

        assertThat(state.pins(STAGING).pin(APP)).contains(image);
        String file = Git.run(dir.resolve("state"), "show", "main:env/staging.images.env");
        assertThat(file).contains("APP_IMAGE=" + image);
        String log = Git.run(dir.resolve("state"), "log", "--format=%an|%s|%(trailers:key=Rinpoche-Event,valueonly)");
        assertThat(log.lines().findFirst().orElseThrow())
                .isEqualTo("registry hook|deploy staging/app: unpinned -> hello-django:develop-1@"
                        + image.digest().hex().substring(0, 12) + " (hook registry/ev-1)|ev-1");
        assertThat(Git.run(dir.resolve("state"), "rev-list", "--count", "main").strip()).isEqualTo("2");
    }

    @Test
    void theHookEventsAcceptedBeforeAreReadBackNewestFirstAndBounded() {
        history.intend(new Intent("d1", STAGING, APP, image(1), Trigger.hook("registry", "ev-1")));
        history.intend(new Intent("d2", STAGING, APP, image(2), Trigger.manual("admin")));
        history.intend(new Intent("d3", STAGING, APP, image(3), Trigger.hook("harbor", "ev-3")));
        history.intend(new Intent("d4", STAGING, APP, image(4), Trigger.hook("registry", "ev-4")));

        assertThat(history.acceptedHookEvents(10)).containsExactly(Trigger.hook("registry", "ev-4"),
                Trigger.hook("harbor", "ev-3"), Trigger.hook("registry", "ev-1"));
        assertThat(history.acceptedHookEvents(2)).containsExactly(Trigger.hook("registry", "ev-4"),
                Trigger.hook("harbor", "ev-3"));
    }

    @Test
    void outcomesArePagedNewestFirstWithTheirWholeEntry() {
        for (int n = 1; n <= 5; n++) {
            history.intend(new Intent("d" + n, STAGING, APP, image(n), Trigger.manual("admin")));
            history.append(outcome("d" + n, n, RolloutResult.Outcome.DEPLOYED));
        }
        DeploymentPage first = history.page(0, 2);
        assertThat(first.total()).isEqualTo(5);
        assertThat(first.items()).extracting(Deployment::id).containsExactly("d5", "d4");
        assertThat(history.page(2, 2).items()).extracting(Deployment::id).containsExactly("d1");
        Deployment newest = first.items().get(0);
        assertThat(newest).isEqualTo(outcome("d5", 5, RolloutResult.Outcome.DEPLOYED));
        assertThat(history.page(3, 2).items()).isEmpty();
    }

    @Test
    void aRolledBackOutcomeRestoresThePinItReplaced() {
        history.intend(new Intent("d1", STAGING, APP, image(1), Trigger.manual("admin")));
        history.append(outcome("d1", 1, RolloutResult.Outcome.DEPLOYED));
        history.intend(new Intent("d2", STAGING, APP, image(2), Trigger.manual("admin")));
        history.append(outcome("d2", 2, RolloutResult.Outcome.ROLLED_BACK));

        assertThat(state.pins(STAGING).pin(APP)).contains(image(1));
        assertThat(Git.run(dir.resolve("state"), "log", "-1", "--format=%s")).contains("pin restored");
    }

    @Test
    void theAnalysisRollbackKeepsTheOldPinAndItsVerdictReadsBack() {
        history.intend(new Intent("d1", STAGING, APP, image(1), Trigger.manual("admin")));
        history.append(outcome("d1", 1, RolloutResult.Outcome.DEPLOYED));
        Trigger analysis = Trigger.analysis("analysis: 5xx share rose by more than 5.0 points: ... (deployment d1)");
        history.intend(new Intent("d2", STAGING, APP, image(0), analysis));
        Deployment rolledBack = withTrigger(outcome("d2", 0, RolloutResult.Outcome.ROLLED_BACK), analysis);
        history.append(rolledBack);

        assertThat(state.pins(STAGING).pin(APP)).contains(image(0));
        assertThat(history.page(0, 1).items()).containsExactly(rolledBack);
        assertThat(Git.run(dir.resolve("state"), "log", "-1", "--format=%s|%(trailers:key=Rinpoche-Analysis,valueonly)"))
                .isEqualTo("rolled back staging/app in 4.2 s|analysis: 5xx share rose by more than 5.0 points: ..."
                        + " (deployment d1)\n\n");
    }

    @Test
    void anAnalysisRollbackThatFailedRestoresTheNewVersionsPin() {
        history.intend(new Intent("d1", STAGING, APP, image(1), Trigger.manual("admin")));
        history.append(outcome("d1", 1, RolloutResult.Outcome.DEPLOYED));
        Trigger analysis = Trigger.analysis("analysis: ...");
        history.intend(new Intent("d2", STAGING, APP, image(0), analysis));
        history.append(withTrigger(outcome("d2", 0, RolloutResult.Outcome.FAILED), analysis));

        assertThat(state.pins(STAGING).pin(APP)).contains(image(1));
    }

    private static Deployment withTrigger(Deployment d, Trigger trigger) {
        return new Deployment(d.id(), d.environment(), d.service(), d.requested(), d.from(), d.to(), trigger, d.outcome(),
                d.started(), d.duration(), trigger.reason());
    }

    @Test
    void aFailureDoesNotUndoANewerPin() {
        history.intend(new Intent("d1", STAGING, APP, image(1), Trigger.manual("admin")));
        history.intend(new Intent("d2", STAGING, APP, image(2), Trigger.manual("admin")));
        history.append(outcome("d1", 1, RolloutResult.Outcome.FAILED));

        assertThat(state.pins(STAGING).pin(APP)).contains(image(2));
    }

    @Test
    void theNewestIntentWithoutOutcomeIsPending() {
        history.intend(new Intent("d1", STAGING, APP, image(1), Trigger.hook("registry", "ev-1")));
        assertThat(history.pending(STAGING, APP)).get().extracting(Intent::id).isEqualTo("d1");
        history.append(outcome("d1", 1, RolloutResult.Outcome.DEPLOYED));
        assertThat(history.pending(STAGING, APP)).isEmpty();
    }

    @Test
    void concurrentIntentsForDifferentServicesGiveALinearHistoryWithoutLostUpdates() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> done = new ArrayList<>();
        for (int n = 0; n < 40; n++) {
            int number = n;
            done.add(pool.submit(() -> history.intend(new Intent("c" + number, STAGING, ServiceName.of("svc" + number),
                    image(number), Trigger.manual("admin")))));
        }
        for (Future<?> future : done) {
            future.get();
        }
        pool.shutdown();
        assertThat(state.pins(STAGING).pins()).hasSize(40);
        assertThat(Git.run(dir.resolve("state"), "rev-list", "--count", "--merges", "main").strip()).isEqualTo("0");
        assertThat(Git.run(dir.resolve("state"), "rev-list", "--count", "main").strip()).isEqualTo("41");
        Git.run(dir.resolve("state"), "fsck", "--strict");
    }

    @Test
    void aCorruptStateFileIsRefusedNamingTheLineAndTheCommit() {
        Path clone = dir.resolve("clone");
        Git.run(dir, "clone", "-q", dir.resolve("state").toString(), clone.toString());
        Git.write(clone, "env/staging.images.env", "APP_IMAGE=hello-django:1\nthis is not a pin\n");
        Git.run(clone, "add", ".");
        Git.run(clone, "-c", "user.name=Ada", "-c", "user.email=ada@example.com", "commit", "-q", "-m", "oops");
        Git.run(clone, "push", "-q", "origin", "main");

        String commit = Git.run(clone, "rev-parse", "--short=12", "HEAD").strip();
        assertThatThrownBy(() -> state.pins(STAGING)).isInstanceOf(CorruptStateException.class)
                .hasMessage("env/staging.images.env line 2: expected <SERVICE>_IMAGE=<image>, found 'this is not a pin'"
                        + " (last changed by commit " + commit + ", Ada <ada@example.com>: oops)");
    }

    static ImageRef image(int n) {
        return ImageRef.parse("127.0.0.1:5000/hello-django:develop-" + n + "@" + digest(n));
    }

    static Digest digest(int n) {
        return Digest.parse("sha256:" + String.format("%064x", n));
    }

    static Deployment outcome(String id, int n, RolloutResult.Outcome outcome) {
        ImageVersion from = new ImageVersion("127.0.0.1:5000/hello-django@" + digest(n - 1), digest(n - 1));
        ImageVersion to = new ImageVersion(image(n).pinned(), digest(n));
        return new Deployment(id, STAGING, APP, image(n), from, to, Trigger.manual("admin"), outcome,
                Instant.parse("2026-11-25T10:00:00Z").plusSeconds(n), Duration.ofMillis(4200 + n),
                outcome == RolloutResult.Outcome.DEPLOYED ? "" : "it never turned healthy\nwithin 60 s");
    }
}
