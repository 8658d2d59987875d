package io.rinpoche.deploy.state;

import static io.rinpoche.deploy.state.GitDeploymentHistoryTest.APP;
import static io.rinpoche.deploy.state.GitDeploymentHistoryTest.STAGING;
import static io.rinpoche.deploy.state.GitDeploymentHistoryTest.image;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rinpoche.deploy.history.Intent;
import io.rinpoche.deploy.history.Trigger;
import io.rinpoche.deploy.model.Environment;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The state repository with a remote someone else pushes to: a bare repository and the git command line. Commits
 * are pushed soon after, on the remote's own thread: a remote that hangs delays none.
 */
class StateRemoteTest {

    static final Environment PRODUCTION = Environment.of("production");

    @TempDir
    Path dir;
    Path remote;
    Path clone;
    StateRepository state;
    GitDeploymentHistory history;

    @BeforeEach
    void open() {
        remote = dir.resolve("remote.git");
        clone = dir.resolve("clone");
        Git.run(dir, "init", "-q", "--bare", "--initial-branch=main", remote.toString());
        state = opened(dir.resolve("state"));
        history = new GitDeploymentHistory(state);
        Git.run(dir, "clone", "-q", remote.toString(), clone.toString());
    }

    // Opened, first pull and first push done: what a test starts from.
    private StateRepository opened(Path directory) {
        StateRepository opened = StateRepository.open(directory, remote(remote.toString(), Duration.ofSeconds(30)));
        assertThat(opened.awaitFirstPull(Duration.ofSeconds(30))).isTrue();
        awaitPushed(opened);
        return opened;
    }

    private void awaitPushed(StateRepository repository) {
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> repository.head().name()
                .equals(Git.run(remote, "rev-parse", "main").strip()));
    }

    @AfterEach
    void close() {
        state.close();
    }

    private static StateRemote remote(String url, Duration timeout) {
        return new StateRemote(url, "", "", timeout);
    }

    @Test
    void aRemoteThatAcceptsAndNeverAnswersDelaysNoCommit() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String url = "http://127.0.0.1:" + silent.getLocalPort() + "/state.git";
            long start = System.nanoTime();
            try (StateRepository hung = StateRepository.open(dir.resolve("hung"), remote(url, Duration.ofSeconds(2)))) {
                GitDeploymentHistory hungHistory = new GitDeploymentHistory(hung);
                for (int i = 1; i <= 10; i++) {
                    hungHistory.intend(new Intent("d" + i, STAGING, APP, image(i), Trigger.manual("admin")));
                }
                long committed = System.nanoTime() - start;
                System.out.printf("hung remote: opened and 10 commits in %d ms%n", committed / 1_000_000);
                assertThat(Duration.ofNanos(committed)).isLessThan(Duration.ofSeconds(1));
                assertThat(hung.pins(STAGING).pin(APP)).contains(image(10));
                assertThat(hung.remoteProblem()).hasValueSatisfying(problem -> assertThat(problem).contains(url));
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(hung.remoteProblem())
                        .hasValueSatisfying(problem -> assertThat(problem).contains("cannot", "not pushed yet")));
            }
        }
    }

    @Test
    void reopeningTakesTheSameRemoteAgain() {
        state.close();
        state = opened(dir.resolve("state"));
        history = new GitDeploymentHistory(state);
        history.intend(new Intent("d1", STAGING, APP, image(1), Trigger.manual("admin")));
        awaitPushed(state);

        assertThat(Git.run(remote, "show", "main:env/staging.images.env")).contains("APP_IMAGE=" + image(1));
        assertThat(Git.run(dir.resolve("state"), "remote", "-v").lines()).hasSize(2);
    }

    @Test
    void aNewMachineStartsFromTheRemotesPins() {
        history.intend(new Intent("d1", STAGING, APP, image(1), Trigger.manual("admin")));
        awaitPushed(state);

        try (StateRepository fresh = opened(dir.resolve("elsewhere"))) {
            assertThat(fresh.pins(STAGING).pin(APP)).contains(image(1));
            assertThat(fresh.head()).isEqualTo(state.head());
        }
    }

    @Test
    void everyCommitIsPushedSoonAfter() {
        history.intend(new Intent("d1", STAGING, APP, image(1), Trigger.manual("admin")));
        awaitPushed(state);

        assertThat(Git.run(remote, "show", "main:env/staging.images.env")).contains("APP_IMAGE=" + image(1));
    }

    @Test
    void aPushRejectedAsNonFastForwardIsReplayedOnTopAndNothingIsLost() {
        personPins("production", image(7), "pin production by hand");
        history.intend(new Intent("d1", STAGING, APP, image(1), Trigger.manual("admin")));
        // Not awaitPushed: while it replays, the branch is on the remote's tip for a moment.
        await().atMost(Duration.ofSeconds(30))
                .until(() -> Git.run(remote, "log", "--format=%s", "main").lines().count() == 3);

        assertThat(Git.run(remote, "log", "--format=%s", "main").lines())
                .containsExactly("deploy staging/app: unpinned -> hello-django:develop-1@" + image(1).digest().hex()
                        .substring(0, 12) + " (manual by admin)", "pin production by hand",
                        "Start the desired state of rinpoche's environments");
        assertThat(Git.run(remote, "rev-list", "--count", "--merges", "main").strip()).isEqualTo("0");
        assertThat(state.pins(PRODUCTION).pin(APP)).contains(image(7));
        assertThat(state.pins(STAGING).pin(APP)).contains(image(1));
    }

    @Test
    void aPinAPersonPushesIsPulledAndPendingWithTheAuthorAsTrigger() {
        personPins("staging", image(3), "try develop-3 on staging");

        assertThat(state.pull()).isTrue();
        assertThat(state.pins(STAGING).pin(APP)).contains(image(3));
        Intent pending = history.pending(STAGING, APP).orElseThrow();
        assertThat(pending.trigger()).isEqualTo(Trigger.git("Ada Lovelace <ada@example.com>"));
        assertThat(pending.image()).isEqualTo(image(3));
        assertThat(state.pull()).isFalse();
    }

    @Test
    void commitsStayLocalWhileTheRemoteIsUnreachableAndArePushedLater() throws Exception {
        java.nio.file.Files.move(remote, dir.resolve("away.git"));
        history.intend(new Intent("d1", STAGING, APP, image(1), Trigger.manual("admin")));
        assertThat(state.pins(STAGING).pin(APP)).contains(image(1));

        state.push();
        assertThat(state.remoteProblem()).hasValueSatisfying(problem -> assertThat(problem).contains("not pushed yet"));

        java.nio.file.Files.move(dir.resolve("away.git"), remote);
        state.pushLater();
        awaitPushed(state);
        assertThat(state.remoteProblem()).isEmpty();
        assertThat(Git.run(remote, "show", "main:env/staging.images.env")).contains("APP_IMAGE=" + image(1));
    }

    private void personPins(String environment, io.rinpoche.deploy.model.ImageRef image, String message) {
        Git.run(clone, "pull", "-q", "--ff-only");
        Git.write(clone, "env/" + environment + ".images.env", "# by hand\nAPP_IMAGE=" + image + "\n");
        Git.run(clone, "add", ".");
        Git.run(clone, "-c", "user.name=Ada Lovelace", "-c", "user.email=ada@example.com", "commit", "-q", "-m", message);
        Git.run(clone, "push", "-q", "origin", "main");
    }
}
