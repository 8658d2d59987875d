package io.rinpoche.deploy.rollout.compose;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rinpoche.deploy.model.DeployRequest;
import io.rinpoche.deploy.model.Environment;
import io.rinpoche.deploy.model.ImageRef;
import io.rinpoche.deploy.model.ServiceName;
import io.rinpoche.deploy.rollout.RolloutException;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An engine whose Docker engine cannot be reached fails with a RolloutException that says where and what. */
class ComposeRolloutEngineTest {

    @TempDir
    Path dir;

    @Test
    void anUnreachableDockerEngineIsARolloutFailureNamingItAndTheRequest() {
        String socket = "unix://" + dir.resolve("no-docker-here.sock");
        DeployRequest request = new DeployRequest(Environment.of("production"), ServiceName.of("app"),
                ImageRef.parse("127.0.0.1:5000/hello-django:1.2.0"));

        try (ComposeRolloutEngine engine = new ComposeRolloutEngine(
                new ComposeEngineSettings(socket, null, null, null, null, null, null, null), Clock.systemUTC())) {
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
}
