package io.rinpoche.deploy.rollout.compose;

import com.github.dockerjava.api.command.TopContainerResponse;
import com.github.dockerjava.api.model.Container;
import io.rinpoche.deploy.rollout.RolloutException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Tells an environment's nginx which replicas of a service to send requests to, and waits until it no longer has
 * requests in flight to the others, so that an old replica stops only once nothing is on its way to it, however
 * the app handles SIGTERM (Kamal's proxy is told the same way).
 *
 * <p>During a rollout the service is pinned: {@code <service>.upstream} ({@code upstream rinpoche-pinned-<service>
 * { server <address>:<port>; ... }}, the replicas' addresses on a network nginx shares) and {@code <service>.route}
 * ({@code set $app_upstream http://rinpoche-pinned-<service>;}) in the environment's directory, which nginx mounts
 * at {@code /etc/nginx/upstreams}; its routes include the first at http level and the second after they set
 * {@code $app_upstream} to the service's DNS name. Then {@code SIGHUP} (the kill endpoint, no exec): nginx reloads
 * gracefully, new workers route by them, the old ones finish their requests in flight and exit. When the old
 * workers are gone ({@code GET /containers/{id}/top}) the reload is done. Afterwards the files go and nginx
 * resolves the name per request again, which then finds exactly the replicas that run: outside rollouts, nothing
 * is pinned that a restart of nginx or of the app could make stale. That last reload waits for the new workers only:
 * the old ones route to the replicas pinned last, which keep running.
 */
final class NginxUpstreams implements Traffic {

    private static final Logger log = LoggerFactory.getLogger(NginxUpstreams.class);
    private static final String WORKER = "nginx: worker process";
    /** Where nginx reads the files: its routes include {@code *.upstream} and {@code <service>[.]route} from there. */
    static final String MOUNT = "/etc/nginx/upstreams";
    // How long nginx may take to start new workers after SIGHUP before the reload counts as refused.
    private static final Duration RELOAD_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration POLL = Duration.ofMillis(25);

    private final DockerApi docker;
    private final ComposeEngineSettings settings;
    private final Clock clock;
    private final Path directory;
    private final String service;
    private final List<String> proxies;
    private final Set<String> networks = new TreeSet<>();
    private final List<String> serving = new ArrayList<>();

    private NginxUpstreams(DockerApi docker, ComposeEngineSettings settings, Clock clock, Path directory, String service,
                      List<String> proxies) {
        this.docker = docker;
        this.settings = settings;
        this.clock = clock;
        this.directory = directory;
        this.service = service;
        this.proxies = proxies;
        proxies.forEach(proxy -> docker.inspectContainer(proxy).path("NetworkSettings").path("Networks")
                .forEachEntry((network, endpoint) -> networks.add(network)));
    }

    /**
     * The upstream files of {@code service} in {@code environment}, when the settings name a directory and its proxy
     * runs with a directory mounted at {@value #MOUNT} (else nothing would read them: the engine then relies on DNS).
     */
    static Optional<NginxUpstreams> of(DockerApi docker, ComposeEngineSettings settings, Clock clock, String environment,
                                  ServiceContainers service) {
        if (settings.proxyUpstreams() == null) {
            return Optional.empty();
        }
        List<String> proxies = proxies(docker, settings, service.project());
        if (proxies.isEmpty() || !proxies.stream().allMatch(proxy -> mountsUpstreams(docker.inspectContainer(proxy)))) {
            log.warn("no {} with {} mounted in {}: the rollout of {} relies on DNS", settings.proxyService(), MOUNT,
                    service.project(), service.name());
            return Optional.empty();
        }
        return Optional.of(new NginxUpstreams(docker, settings, clock, Path.of(settings.proxyUpstreams(), environment),
                service.name(), proxies));
    }

    private static boolean mountsUpstreams(JsonNode proxy) {
        for (JsonNode mount : proxy.path("Mounts")) {
            if (MOUNT.equals(mount.path("Destination").asString())) {
                return true;
            }
        }
        return false;
    }

    /** Removes the upstream files a killed rollout left in {@code environment} and reloads its proxy: what was removed. */
    static List<String> clear(DockerApi docker, ComposeEngineSettings settings, Clock clock, String environment,
                              String project) {
        if (settings.proxyUpstreams() == null) {
            return List.of();
        }
        Path directory = Path.of(settings.proxyUpstreams(), environment);
        List<String> removed = new ArrayList<>();
        try (var files = Files.exists(directory) ? Files.list(directory) : java.util.stream.Stream.<Path>empty()) {
            for (Path file : files.filter(f -> f.toString().endsWith(".route")).toList()) {
                String name = file.getFileName().toString().replaceFirst("\\.route$", "");
                Files.deleteIfExists(file);
                Files.deleteIfExists(directory.resolve(name + ".upstream"));
                removed.add("removed nginx's upstream files of " + name);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear the upstream files in " + directory, e);
        }
        List<String> proxies = proxies(docker, settings, project);
        if (!removed.isEmpty() && !proxies.isEmpty()) {
            new NginxUpstreams(docker, settings, clock, directory, "", proxies).reload(true);
        }
        return removed;
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

    // The route first: nginx never reads a route without its upstream.
    @Override
    public void end(boolean settled) {
        try {
            Files.deleteIfExists(directory.resolve(service + ".route"));
            Files.deleteIfExists(directory.resolve(service + ".upstream"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the upstream files of " + service + " in " + directory, e);
        }
        reload(!settled);
        log.info("nginx resolves {} by its name again", service);
    }

    // The upstream first: nginx never reads a route without its upstream, whenever it reloads.
    private void pin() {
        List<String> addresses = serving.stream().map(this::address).toList();
        StringBuilder upstream = new StringBuilder("# Written by the deploy service during a rollout of " + service
                + ": the replicas nginx sends requests to.\nupstream " + upstreamName() + " {\n");
        addresses.forEach(address -> upstream.append("    server ").append(address).append(";\n"));
        write(service + ".upstream", upstream.append("}\n").toString());
        write(service + ".route", "set $app_upstream http://" + upstreamName() + ";\n");
        reload(true);
        log.info("nginx sends the requests for {} to {}", service, addresses);
    }

    private String upstreamName() {
        return "rinpoche-pinned-" + service;
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

    private void write(String file, String content) {
        try {
            Files.createDirectories(directory);
            Path temporary = directory.resolve("." + file + ".tmp");
            Files.writeString(temporary, content);
            Files.move(temporary, directory.resolve(file), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + " in " + directory, e);
        }
    }

    // SIGHUP to every proxy, then until each runs new workers, and with `drain` until their old workers have finished
    // their requests in flight and exited.
    private void reload(boolean drain) {
        List<Set<String>> before = proxies.stream().map(this::workers).toList();
        proxies.forEach(proxy -> docker.client().killContainerCmd(proxy).withSignal("HUP").exec());
        log.debug("sent SIGHUP to {}", proxies);
        for (int i = 0; i < proxies.size(); i++) {
            awaitReloaded(proxies.get(i), before.get(i), drain);
        }
    }

    private void awaitReloaded(String proxy, Set<String> before, boolean drain) {
        Instant sent = clock.instant();
        while (true) {
            Set<String> now = workers(proxy);
            boolean started = now.stream().anyMatch(pid -> !before.contains(pid));
            if (started && (!drain || now.stream().noneMatch(before::contains))) {
                log.debug("the proxy {} runs new workers{}", proxy, drain ? " only" : "");
                return;
            }
            Duration waited = Duration.between(sent, clock.instant());
            if (!started && waited.compareTo(RELOAD_TIMEOUT) > 0) {
                throw new RolloutException("the proxy " + proxy + " did not reload within " + RELOAD_TIMEOUT.toSeconds()
                        + " s of SIGHUP: it refused the upstream files in " + directory + "? (its log says why)");
            }
            if (waited.compareTo(settings.drainTimeout()) > 0) {
                log.warn("the proxy {} still had requests in flight after {} s: the replica stops anyway", proxy,
                        settings.drainTimeout().toSeconds());
                return;
            }
            Readiness.sleep(POLL);
        }
    }

    // The process ids of nginx's workers, from `docker top` (ps on the host: no exec into the container).
    private Set<String> workers(String proxy) {
        TopContainerResponse top = docker.client().topContainerCmd(proxy).exec();
        List<String> titles = Arrays.asList(top.getTitles());
        int pid = titles.indexOf("PID");
        int command = titles.indexOf("CMD") >= 0 ? titles.indexOf("CMD") : titles.indexOf("COMMAND");
        Set<String> workers = new HashSet<>();
        for (String[] process : top.getProcesses()) {
            if (process[command].startsWith(WORKER)) {
                workers.add(process[pid]);
            }
        }
        return workers;
    }

    private static List<String> proxies(DockerApi docker, ComposeEngineSettings settings, String project) {
        return new ServiceContainers(docker, project, settings.proxyService()).running().stream()
                .map(Container::getId).toList();
    }
}
