package io.rinpoche.nginx;

import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.MountableFile;

/**
 * Two apps, shop and blog, behind one proxy serving the catalogue's routes (routes/apps.conf, as the generator
 * writes them) with its edge metrics on port 9145: started once for the test classes that need them, and removed
 * with the test JVM (Testcontainers' reaper).
 */
final class RoutedApps {

    private static RoutedApps started;

    final Network network;
    final GenericContainer<?> proxy;

    private RoutedApps() {
        network = Network.newNetwork();
        NginxContainers.backend(network, "shop", "shop").start();
        NginxContainers.backend(network, "blog", "blog").start();
        proxy = withRoutes(NginxContainers.proxy(network)).withExposedPorts(80, 9145)
                .waitingFor(Wait.forHttp("/nginx-health").forPort(80).forStatusCode(200));
        proxy.start();
    }

    static synchronized RoutedApps get() {
        if (started == null) {
            started = new RoutedApps();
        }
        return started;
    }

    /** The container with the catalogue's routes in /etc/nginx/routes. */
    static GenericContainer<?> withRoutes(GenericContainer<?> container) {
        return container.withCopyFileToContainer(MountableFile.forClasspathResource("routes/apps.conf"),
                "/etc/nginx/routes/apps.conf");
    }
}
