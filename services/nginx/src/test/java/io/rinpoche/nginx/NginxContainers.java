package io.rinpoche.nginx;

import com.github.dockerjava.api.model.ContainerNetwork;
import io.rinpoche.testing.RinpocheImages;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.MountableFile;

/** Containers of the nginx image for the tests: the proxy under test, and app stand-ins made from the same image. */
final class NginxContainers {

    /** The stand-in's template replaces the proxy's, so the stand-in is only a backend. */
    private static final String BACKEND_TEMPLATE = "/etc/nginx/templates/default.conf.template";

    private NginxContainers() {
    }

    /** The proxy as an environment runs it: port 80, the app expected at the alias {@code app}. */
    static GenericContainer<?> proxy(Network network) {
        return new GenericContainer<>(RinpocheImages.image("nginx"))
                .withNetwork(network)
                .withExposedPorts(80)
                .waitingFor(Wait.forHttp("/nginx-health").forStatusCode(200));
    }

    /** An app stand-in on port 8000 that answers with its name and the request headers it got. */
    static GenericContainer<?> backend(Network network, String name, String... aliases) {
        return new GenericContainer<>(RinpocheImages.image("nginx"))
                .withNetwork(network)
                .withNetworkAliases(aliases)
                .withEnv("BACKEND_NAME", name)
                .withCopyFileToContainer(MountableFile.forClasspathResource("backend.conf.template"), BACKEND_TEMPLATE)
                .withExposedPorts(8000)
                .waitingFor(Wait.forHttp("/").forPort(8000).forStatusCode(200));
    }

    /** The container's IPv4 address on the given network. */
    static String ipOn(GenericContainer<?> container, Network network) {
        return container.getContainerInfo().getNetworkSettings().getNetworks().values().stream()
                .filter(endpoint -> network.getId().equals(endpoint.getNetworkID()))
                .map(ContainerNetwork::getIpAddress)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(
                        "container " + container.getContainerName() + " is not on network " + network.getId()));
    }
}
