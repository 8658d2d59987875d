package io.rinpoche.nginx;

import static io.rinpoche.nginx.NginxContainers.proxy;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.InspectContainerResponse.ContainerState;
import io.rinpoche.testing.RinpocheImages;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.startupcheck.StartupCheckStrategy;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;

/** rinpoche/nginx's start-up: templates rendered from the environment, bad configuration refused, health check, graceful stop. */
class NginxConfigIT {

    @Test
    void rendersTheEnvironmentIntoTheConfiguration() throws Exception {
        try (Network network = Network.newNetwork();
                GenericContainer<?> proxy = proxy(network)
                        .withEnv("CLIENT_MAX_BODY_SIZE", "1m")
                        .withEnv("APP_UPSTREAM", "web:8001")) {
            proxy.start();

            ExecResult config = proxy.execInContainer("nginx", "-T");
            assertThat(config.getExitCode()).isEqualTo(0);
            assertThat(config.getStdout())
                    .contains("client_max_body_size 1m;")
                    .contains("set $app_upstream http://web:8001;")
                    // Default resolver: Docker's embedded DNS, the nameserver on a user-defined network.
                    .contains("resolver 127.0.0.11 valid=2s ipv6=off;")
                    // nginx's own variables are not environment variables: left alone.
                    .contains("proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;");
            // The limit is in force, not only written down: nginx refuses the body without the app.
            assertThat(Http.post(proxy, "/upload", new byte[2 * 1024 * 1024]).status()).isEqualTo(413);
        }
    }

    @Test
    void anInvalidValueStopsTheContainerNamingTheLine() {
        try (GenericContainer<?> proxy = exitingProxy().withEnv("CLIENT_MAX_BODY_SIZE", "lots")) {
            proxy.start();

            assertThat(exitCode(proxy)).isEqualTo(1);
            assertThat(proxy.getLogs())
                    .contains("\"client_max_body_size\" directive invalid value")
                    .contains("client_max_body_size lots;")
                    .contains("error: the configuration rendered from /etc/nginx/templates is invalid");
        }
    }

    @Test
    void aTemplateVariableNobodySetStopsTheContainer() {
        String template = "server { listen 8080; return 200 \"${FEATURE_FLAG}\"; }\n";
        try (GenericContainer<?> proxy = exitingProxy()
                .withCopyToContainer(Transferable.of(template), "/etc/nginx/templates/extra.conf.template")) {
            proxy.start();

            assertThat(exitCode(proxy)).isEqualTo(1);
            assertThat(proxy.getLogs())
                    .contains("error: /etc/nginx/templates/extra.conf.template uses ${FEATURE_FLAG}, which is not set");
        }
    }

    @Test
    void theHealthCheckTurnsHealthyWithoutTheApp() {
        try (Network network = Network.newNetwork();
                GenericContainer<?> proxy = proxy(network)
                        .waitingFor(Wait.forHealthcheck().withStartupTimeout(Duration.ofSeconds(60)))) {
            proxy.start();

            assertThat(proxy.getCurrentContainerInfo().getState().getHealth().getStatus()).isEqualTo("healthy");
        }
    }

    @Test
    void dockerStopEndsNginxGracefully() {
        try (Network network = Network.newNetwork(); GenericContainer<?> proxy = proxy(network)) {
            proxy.start();
            DockerClient docker = DockerClientFactory.instance().client();

            // STOPSIGNAL SIGQUIT through tini: nginx drains and exits 0. A signal nginx ignored
            // would end in SIGKILL after the timeout, exit code 137.
            docker.stopContainerCmd(proxy.getContainerId()).withTimeout(30).exec();

            InspectContainerResponse stopped = docker.inspectContainerCmd(proxy.getContainerId()).exec();
            assertThat(stopped.getState().getExitCodeLong()).isEqualTo(0L);
        }
    }

    /** The image on no network, started even if it exits at once, so that its exit code and logs can be read. */
    private static GenericContainer<?> exitingProxy() {
        return new GenericContainer<>(RinpocheImages.image("nginx"))
                .withStartupCheckStrategy(new ExitedOrRunning().withTimeout(Duration.ofSeconds(30)));
    }

    private static long exitCode(GenericContainer<?> container) {
        ContainerState state = container.getCurrentContainerInfo().getState();
        assertThat(state.getRunning()).as("container still running; logs:\n%s", container.getLogs()).isFalse();
        return state.getExitCodeLong();
    }

    /** Startup succeeds once the container has exited (any exit code), so a failed start can be examined. */
    private static final class ExitedOrRunning extends StartupCheckStrategy {

        @Override
        public StartupStatus checkStartupState(DockerClient docker, String containerId) {
            ContainerState state = getCurrentState(docker, containerId);
            return Boolean.TRUE.equals(state.getRunning()) ? StartupStatus.NOT_YET_KNOWN : StartupStatus.SUCCESSFUL;
        }
    }
}
