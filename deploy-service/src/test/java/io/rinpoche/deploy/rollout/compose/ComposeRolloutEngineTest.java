package io.rinpoche.deploy.rollout.compose;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.rinpoche.deploy.rollout.EngineSettings;
import io.rinpoche.deploy.model.DeployRequest;
import io.rinpoche.deploy.model.Environment;
import io.rinpoche.deploy.model.ImageRef;
import io.rinpoche.deploy.model.ServiceName;
import io.rinpoche.deploy.rollout.RolloutException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An engine whose Docker engine cannot be reached, or never answers, fails with a RolloutException that says where
 * and what, instead of waiting forever.
 */
class ComposeRolloutEngineTest {

    @TempDir
    Path dir;

    @Test
    void anUnreachableDockerEngineIsARolloutFailureNamingItAndTheRequest() {
        String socket = "unix://" + dir.resolve("no-docker-here.sock");
        DeployRequest request = new DeployRequest(Environment.of("production"), ServiceName.of("app"),
                ImageRef.parse("127.0.0.1:5000/hello-django:1.2.0"));

        try (ComposeRolloutEngine engine = new ComposeRolloutEngine(
                EngineSettings.bind(ComposeEngineSettings.class, Map.of("docker-host", socket)), Clock.systemUTC())) {
            assertThatThrownBy(() -> engine.roll(request))
                    .isInstanceOf(RolloutException.class)
                    .hasMessageStartingWith("production/app <- 127.0.0.1:5000/hello-django:1.2.0: ")
                    .hasMessageContaining("cannot reach the Docker engine at " + socket);
            assertThatThrownBy(() -> engine.services(Environment.of("staging")))
                    .isInstanceOf(RolloutException.class)
                    .hasMessageContaining("cannot list environment staging")
                    .hasMessageContaining(socket);
        }
    }

    @Test
    void aDockerEngineThatAcceptsAndNeverAnswersFailsTheCallWithinTheApiTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             ComposeRolloutEngine engine = new ComposeRolloutEngine(EngineSettings.bind(ComposeEngineSettings.class, Map.of(
                     "docker-host", "tcp://127.0.0.1:" + silent.getLocalPort(), "api-timeout", "1s")), Clock.systemUTC())) {
            // Accepted by the kernel's backlog and never read: a hung daemon, as seen from its socket.
            assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                assertThatThrownBy(() -> engine.services(Environment.of("staging")))
                        .isInstanceOf(RolloutException.class)
                        .hasMessageContaining("cannot list environment staging");
                assertThatThrownBy(() -> engine.recover(Environment.of("staging")))
                        .isInstanceOf(RuntimeException.class);
            });
        }
    }
}
