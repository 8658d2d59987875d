package io.rinpoche.deploy.rollout.nginx;

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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Tells an environment's nginx which addresses to send one service's requests to, and waits until it no longer has
 * requests in flight to any other, so that a replica nginx no longer names may stop however the app handles SIGTERM
 * (Kamal's proxy is told the same way). Both engines use it: each finds its replicas' addresses and the proxy's
 * containers, and makes the two Docker calls ({@link ProxyContainers}).
 *
 * <p>While a service is pinned: {@code <service>.upstream} ({@code upstream rinpoche-pinned-<service> { server
 * <address>:<port>; ... }}) and {@code <service>.route} ({@code set $app_upstream http://rinpoche-pinned-<service>;})
 * in the environment's directory, which nginx mounts at {@value #MOUNT}; its routes include the first at http level
 * and the second after they set {@code $app_upstream} to the service's DNS name. Then {@code SIGHUP}: nginx reloads
 * gracefully, new workers route by the files, the old ones finish their requests in flight and exit. When the old
 * workers are gone ({@code docker top}) the reload is done. Afterwards the files go and nginx resolves the name per
 * request again (rinpoche/nginx's README, "Rollouts: upstream files from the deploy service").
 */
public final class UpstreamFiles {

    private static final Logger log = LoggerFactory.getLogger(UpstreamFiles.class);
    private static final String WORKER = "nginx: worker process";
    /** Where nginx reads the files: its routes include {@code *.upstream} and {@code <service>[.]route} from there. */
    public static final String MOUNT = "/etc/nginx/upstreams";
    // How long nginx may take to start new workers after SIGHUP before the reload counts as refused.
    private static final Duration RELOAD_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration POLL = Duration.ofMillis(25);

    private final ProxyContainers docker;
    private final Clock clock;
    private final Duration drainTimeout;
    private final Path directory;
    private final String service;
    private final List<String> proxies;

    /**
     * The files of {@code service} in {@code directory} (the environment's), read by the nginx containers
     * {@code proxies}; a reload waits at most {@code drainTimeout} for requests in flight.
     */
    public UpstreamFiles(ProxyContainers docker, Clock clock, Duration drainTimeout, Path directory, String service,
                         List<String> proxies) {
        this.docker = docker;
        this.clock = clock;
        this.drainTimeout = drainTimeout;
        this.directory = directory;
        this.service = service;
        this.proxies = List.copyOf(proxies);
    }

    /** Whether an inspected container ({@code GET /containers/{id}/json}) has a directory mounted at {@value #MOUNT}. */
    public static boolean mountedIn(JsonNode container) {
        for (JsonNode mount : container.path("Mounts")) {
            if (MOUNT.equals(mount.path("Destination").asString())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Removes the files a killed rollout left in {@code directory} and reloads {@code proxies} (when any was
     * removed): what was removed.
     */
    public static List<String> clear(ProxyContainers docker, Clock clock, Duration drainTimeout, Path directory,
                                     List<String> proxies) {
        List<String> removed = new ArrayList<>();
        try (Stream<Path> files = Files.exists(directory) ? Files.list(directory) : Stream.empty()) {
            for (Path file : files.filter(f -> f.toString().endsWith(".route")).toList()) {
                String name = file.getFileName().toString().replaceFirst("\\.route$", "");
                Files.deleteIfExists(file);
                Files.deleteIfExists(directory.resolve(name + ".upstream"));
                removed.add("removed nginx's upstream files of " + name);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear the upstream files in " + directory, e);
        }
        if (!removed.isEmpty() && !proxies.isEmpty()) {
            new UpstreamFiles(docker, clock, drainTimeout, directory, "", proxies).reload(true);
        }
        return removed;
    }

    /**
     * nginx sends the service's requests to {@code addresses} ({@code host:port}) alone; on return none is in flight
     * to any other. The upstream first: nginx never reads a route without its upstream, whenever it reloads.
     */
    public void route(List<String> addresses) {
        StringBuilder upstream = new StringBuilder("# Written by the deploy service during a rollout of " + service
                + ": the replicas nginx sends requests to.\nupstream " + upstreamName() + " {\n");
        addresses.forEach(address -> upstream.append("    server ").append(address).append(";\n"));
        write(service + ".upstream", upstream.append("}\n").toString());
        write(service + ".route", "set $app_upstream http://" + upstreamName() + ";\n");
        reload(true);
        log.info("nginx sends the requests for {} to {}", service, addresses);
    }

    /**
     * The files go and nginx resolves the service's name again; {@code drain}: also until its old workers, which
     * route to the addresses named last, have finished their requests in flight. The route first: nginx never reads
     * a route without its upstream.
     */
    public void release(boolean drain) {
        try {
            Files.deleteIfExists(directory.resolve(service + ".route"));
            Files.deleteIfExists(directory.resolve(service + ".upstream"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the upstream files of " + service + " in " + directory, e);
        }
        reload(drain);
        log.info("nginx resolves {} by its name again", service);
    }

    private String upstreamName() {
        return "rinpoche-pinned-" + service;
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
        proxies.forEach(docker::hangUp);
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
            if (waited.compareTo(drainTimeout) > 0) {
                log.warn("the proxy {} still had requests in flight after {} s: the replica stops anyway", proxy,
                        drainTimeout.toSeconds());
                return;
            }
            sleep(POLL);
        }
    }

    // The process ids of nginx's workers, from `docker top` (ps on the host: no exec into the container).
    private Set<String> workers(String proxy) {
        ProxyContainers.Processes top = docker.top(proxy);
        int pid = top.titles().indexOf("PID");
        int command = top.titles().contains("CMD") ? top.titles().indexOf("CMD") : top.titles().indexOf("COMMAND");
        Set<String> workers = new HashSet<>();
        for (List<String> process : top.rows()) {
            if (process.get(command).startsWith(WORKER)) {
                workers.add(process.get(pid));
            }
        }
        return workers;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RolloutException("interrupted while nginx reloads", e);
        }
    }
}
