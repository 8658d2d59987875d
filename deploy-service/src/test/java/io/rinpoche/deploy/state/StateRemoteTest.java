package io.rinpoche.deploy.state;

import static io.rinpoche.deploy.state.GitDeploymentHistoryTest.APP;
import static io.rinpoche.deploy.state.GitDeploymentHistoryTest.STAGING;
import static io.rinpoche.deploy.state.GitDeploymentHistoryTest.image;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

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

/** The state repository with a remote someone else pushes to: a bare repository and the git command line. */
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
        state = StateRepository.open(dir.resolve("state"), remote(remote.toString(), Duration.ofSeconds(30)));
        history = new GitDeploymentHistory(state);
        Git.run(dir, "clone", "-q", remote.toString(), clone.toString());
    }

    @AfterEach
    void close() {
        state.close();
    }

    private static StateRemote remote(String url, Duration timeout) {
        return new StateRemote(url, "", "", timeout);
    }

    @Test
    void aRemoteThatAcceptsAndNeverAnswersDelaysNothingForLong() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String url = "http://127.0.0.1:" + silent.getLocalPort() + "/state.git";
            // Opening fetches, every commit pushes: each gives up after the timeout, the commit stays local.
            assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                try (StateRepository hung = StateRepository.open(dir.resolve("hung"), remote(url, Duration.ofSeconds(1)))) {
                    new GitDeploymentHistory(hung).intend(new Intent("d1", STAGING, APP, image(1),
                            Trigger.manual("admin")));
                    assertThat(hung.pins(STAGING).pin(APP)).contains(image(1));
                }
            });
        }
    }

    @Test
    void reopeningTakesTheSameRemoteAgain() {
        state.close();
        state = StateRepository.open(dir.resolve("state"), remote(remote.toString(), Duration.ofSeconds(30)));
        history = new GitDeploymentHistory(state);
        history.intend(new Intent("d1", STAGING, APP, image(1), Trigger.manual("admin")));

        assertThat(Git.run(remote, "show", "main:env/staging.images.env")).contains("APP_IMAGE=" + image(1));
        assertThat(Git.run(dir.resolve("state"), "remote", "-v").lines()).hasSize(2);
    }

    @Test
    void aNewMachineStartsFromTheRemotesPins() {
        history.intend(new Intent("d1", STAGING, APP, image(1), Trigger.manual("admin")));

        try (StateRepository fresh = StateRepository.open(dir.resolve("elsewhere"), remote(remote.toString(), Duration.ofSeconds(30)))) {
            assertThat(fresh.pins(STAGING).pin(APP)).contains(image(1));
            assertThat(fresh.head()).isEqualTo(state.head());
        }
    }

    @Test
    void everyCommitIsPushed() {
        history.intend(new Intent("d1", STAGING, APP, image(1), Trigger.manual("admin")));

        assertThat(Git.run(remote, "show", "main:env/staging.images.env")).contains("APP_IMAGE=" + image(1));
    }

    @Test
    void aPushRejectedAsNonFastForwardIsReplayedOnTopAndNothingIsLost() {
        personPins("production", image(7), "pin production by hand");
        history.intend(new Intent("d1", STAGING, APP, image(1), Trigger.manual("admin")));

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

        java.nio.file.Files.move(dir.resolve("away.git"), remote);
        state.push();
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
