package io.rinpoche.deploy.rollout.compose;

import com.github.dockerjava.api.command.TopContainerResponse;
import com.github.dockerjava.api.model.Container;
import io.rinpoche.deploy.rollout.RolloutException;
import io.rinpoche.deploy.rollout.nginx.ProxyContainers;
import io.rinpoche.deploy.rollout.nginx.UpstreamFiles;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Tells an environment's nginx which replicas of a service to send requests to ({@link UpstreamFiles}: the files, the
 * graceful reload and the wait for nginx's old workers), so that an old replica stops only once nothing is on its
 * way to it, however the app handles SIGTERM. The replicas are named by their addresses on a network nginx shares.
 * Outside rollouts nothing is pinned that a restart of nginx or of the app could make stale. The last reload waits
 * for the new workers only: the old ones route to the replicas pinned last, which keep running.
 */
final class NginxUpstreams implements Traffic {

    private static final Logger log = LoggerFactory.getLogger(NginxUpstreams.class);

    private final DockerApi docker;
    private final ComposeEngineSettings settings;
    private final UpstreamFiles files;
    private final Set<String> networks = new TreeSet<>();
    private final List<String> serving = new ArrayList<>();

    private NginxUpstreams(DockerApi docker, ComposeEngineSettings settings, Clock clock, Path directory, String service,
                      List<String> proxies) {
        this.docker = docker;
        this.settings = settings;
        this.files = new UpstreamFiles(containers(docker), clock, settings.drainTimeout(), directory, service, proxies);
        proxies.forEach(proxy -> docker.inspectContainer(proxy).path("NetworkSettings").path("Networks")
                .forEachEntry((network, endpoint) -> networks.add(network)));
    }

    /**
     * The upstream files of {@code service} in {@code environment}, when the settings name a directory and its proxy
     * runs with a directory mounted at {@value UpstreamFiles#MOUNT} (else nothing would read them: the engine then
     * relies on DNS).
     */
    static Optional<NginxUpstreams> of(DockerApi docker, ComposeEngineSettings settings, Clock clock, String environment,
                                  ServiceContainers service) {
        if (settings.proxyUpstreams() == null) {
            return Optional.empty();
        }
        List<String> proxies = proxies(docker, settings, service.project());
        if (proxies.isEmpty() || !proxies.stream().allMatch(proxy -> UpstreamFiles.mountedIn(docker.inspectContainer(proxy)))) {
            log.warn("no {} with {} mounted in {}: the rollout of {} relies on DNS", settings.proxyService(),
                    UpstreamFiles.MOUNT, service.project(), service.name());
            return Optional.empty();
        }
        return Optional.of(new NginxUpstreams(docker, settings, clock, Path.of(settings.proxyUpstreams(), environment),
                service.name(), proxies));
    }

    /** Removes the upstream files a killed rollout left in {@code environment} and reloads its proxy: what was removed. */
    static List<String> clear(DockerApi docker, ComposeEngineSettings settings, Clock clock, String environment,
                              String project) {
        if (settings.proxyUpstreams() == null) {
            return List.of();
        }
        return UpstreamFiles.clear(containers(docker), clock, settings.drainTimeout(),
                Path.of(settings.proxyUpstreams(), environment), proxies(docker, settings, project));
    }

    @Override
    public boolean needsProbe() {
        return false;
    }

    @Override
    public void begin(List<String> replicas) {
        serving.addAll(replicas);
        pin();
    }

    @Override
    public void swap(String old, String fresh, Instant started) {
        serving.remove(fresh);
        int at = serving.indexOf(old);
        if (at >= 0) {
            serving.set(at, fresh);
        } else {
            serving.add(fresh);
        }
        pin();
    }

    @Override
    public void end(boolean settled) {
        files.release(!settled);
    }

    private void pin() {
        files.route(serving.stream().map(this::address).toList());
    }

    // The replica's address on the first network (by name) that it shares with the proxy.
    private String address(String container) {
        JsonNode inspected = docker.inspectContainer(container);
        JsonNode endpoints = inspected.path("NetworkSettings").path("Networks");
        for (String network : networks) {
            String ip = endpoints.path(network).path("IPAddress").asString("");
            if (!ip.isEmpty()) {
                return ip + ":" + settings.appPort();
            }
        }
        throw new RolloutException(inspected.path("Name").asString().replaceFirst("^/", "") + " has no address on a"
                + " network of the proxy " + settings.proxyService() + " (" + networks + ")");
    }

    // SIGHUP and `docker top` through docker-java's typed commands.
    private static ProxyContainers containers(DockerApi docker) {
        return new ProxyContainers() {
            @Override
            public void hangUp(String id) {
                docker.client().killContainerCmd(id).withSignal("HUP").exec();
            }

            @Override
            public Processes top(String id) {
                TopContainerResponse top = docker.client().topContainerCmd(id).exec();
                return new Processes(Arrays.asList(top.getTitles()),
                        Arrays.stream(top.getProcesses()).map(Arrays::asList).toList());
            }
        };
    }

    private static List<String> proxies(DockerApi docker, ComposeEngineSettings settings, String project) {
        return new ServiceContainers(docker, project, settings.proxyService()).running().stream()
                .map(Container::getId).toList();
    }
}
