package io.rinpoche.deploy.rollout.compose;

import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import io.rinpoche.deploy.rollout.nginx.Routed;
import io.rinpoche.deploy.rollout.RolloutException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * One rollout of one compose service onto one image, start-first, in an order that loses no request. How requests
 * reach the replicas is {@link Traffic}'s; with {@link NginxUpstreams} (the platform's nginx, told which replicas to
 * route to):
 *
 * <ol>
 *   <li><b>Pin</b> the service's requests to the replicas that run now: a replica started later gets none by
 *       itself, though it has the service's aliases. The first replacement is created meanwhile; it starts only once
 *       the pin holds (nginx's old workers, which route by the service's name, are gone).</li>
 *   <li>Per replica, one at a time:
 *     <ol>
 *       <li><b>Start</b> the replacement and wait until it is healthy. An image that never turns healthy or exits is
 *           removed without having answered a single request through the proxy.</li>
 *       <li><b>Swap</b> it in for the old replica in the upstream files; nginx reloads gracefully, and once its old workers
 *           have finished their requests in flight, nothing is on its way to the old replica.</li>
 *       <li><b>Stop</b> the old replica with its stop signal: even an app that exits at once drops nothing. It stops
 *           while the next replacement starts (nothing routes to it any more), and meanwhile the replacement gets
 *           the service's restart policy.</li>
 *     </ol></li>
 *   <li><b>Remove</b> the old replicas only when every replacement is healthy and every old one has stopped: until
 *       then a failing replica rolls the replaced ones back by starting the stopped old containers again, swapped
 *       back the same way.</li>
 *   <li><b>Unpin</b>, while they are removed: nginx resolves the service's name per request again, which finds the
 *       new replicas (a stopped container is in no DNS answer). Its old workers are not waited for: they send
 *       requests only to the new replicas, which keep running.</li>
 * </ol>
 *
 * <p>With {@link DnsTraffic} (no upstream files: the engine before them) a <b>probe</b> comes first, a container with the
 * first replica's configuration and the new image but without the service's alias, which must turn healthy
 * (nothing resolves it); a swap waits until every answer the proxy has cached for the name includes the
 * replacement, and requests in flight to the old replica are left to the app's graceful stop.
 */
final class ComposeRollout {

    private static final Logger log = LoggerFactory.getLogger(ComposeRollout.class);
    // Docker's own default when neither the container nor the request sets a stop timeout.
    private static final int DEFAULT_STOP_SECONDS = 10;

    /** An old replica that was stopped and the replica that took its place. */
    private record Replacement(String old, String fresh) {
    }

    /** A replacement created but not started: its container id and name, and the restart policy it gets once healthy. */
    private record Created(String id, String name, JsonNode restart) {
    }

    private final String id;
    private final DockerApi docker;
    private final Readiness readiness;
    private final ComposeEngineSettings settings;
    private final Clock clock;
    private final ServiceContainers service;
    private final String image;
    private final String imageId;
    private final Traffic traffic;
    private final List<Replacement> done = new ArrayList<>();
    // Old replicas stopping while the next replacement starts (nginx no longer names them), then their removal while
    // nginx unpins.
    private final List<CompletableFuture<Void>> stopping = new ArrayList<>();
    private CompletableFuture<Void> removing = CompletableFuture.completedFuture(null);
    // When nginx last began to send a replica's requests to its replacement: once all are replaced, the new image serves.
    private Instant swapped;

    ComposeRollout(String id, DockerApi docker, Readiness readiness, ComposeEngineSettings settings, Clock clock,
                   ServiceContainers service, String image, String imageId, Traffic traffic) {
        this.id = id;
        this.docker = docker;
        this.readiness = readiness;
        this.settings = settings;
        this.clock = clock;
        this.service = service;
        this.image = image;
        this.imageId = imageId;
        this.traffic = traffic;
    }

    /** When the last replacement took its replica's requests: the new image served on every replica from then. */
    Optional<Instant> serving() {
        return Optional.ofNullable(swapped);
    }

    /** The id its containers are labelled with. */
    String id() {
        return id;
    }

    String project() {
        return service.project();
    }

    /** Rolls every replica; empty when deployed, else why it was rolled back. */
    Optional<String> run(List<JsonNode> replicas) {
        if (traffic.needsProbe()) {
            Readiness.Verdict probe = probe(replicas.get(0));
            if (!probe.ready()) {
                return Optional.of(probe.reason());
            }
        }
        Optional<String> failure = Routed.run(() -> {
            int number = service.nextNumber();
            Created first = createWhilePinning(replicas, number);
            return replaceAll(replicas, number, first);
        }, traffic::end);
        joined(removing);
        return failure;
    }

    // The first replacement is created while the proxy reloads onto the pin (created, a container is in no DNS answer
    // yet; it starts only once the proxy's old workers, which route by the service's name, are gone).
    private Created createWhilePinning(List<JsonNode> replicas, int number) {
        CompletableFuture<Created> created = CompletableFuture.supplyAsync(() -> create(replicas.get(0), number),
                inBackground("create"));
        try {
            traffic.begin(replicas.stream().map(replica -> replica.path("Id").asString()).toList());
        } catch (RuntimeException e) {
            try {
                remove(joined(created).id());
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        return joined(created);
    }

    // A thread of its own per step: a rollout runs only a few at once (a create, the stops of old replicas, their
    // removal), each one or a few Docker calls.
    private Executor inBackground(String step) {
        return task -> {
            Thread thread = new Thread(task, "rollout-" + id + "-" + step);
            thread.setDaemon(true);
            thread.start();
        };
    }

    private static <T> T joined(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    private Optional<String> replaceAll(List<JsonNode> replicas, int number, Created first) {
        for (int i = 0; i < replicas.size(); i++) {
            Created fresh = i == 0 ? first : create(replicas.get(i), number + i);
            Optional<String> failure = replace(replicas.get(i), fresh);
            if (failure.isPresent()) {
                restore();
                String which = replicas.size() > 1 ? "replica " + (i + 1) + " of " + replicas.size() + ": " : "";
                return Optional.of(which + failure.get());
            }
        }
        try {
            awaitStopped();
        } catch (RuntimeException e) {
            restoreAfter(e);
            throw e;
        }
        // A stopped container is in no DNS answer: nginx may resolve the name again (unpin) while they go.
        List<String> old = done.stream().map(Replacement::old).toList();
        removing = CompletableFuture.runAsync(() -> old.forEach(this::remove), inBackground("remove"));
        return Optional.empty();
    }

    // Every old replica being stopped has stopped; the first failure is thrown once all have ended.
    private void awaitStopped() {
        List<CompletableFuture<Void>> all = List.copyOf(stopping);
        stopping.clear();
        RuntimeException failure = null;
        for (CompletableFuture<Void> stop : all) {
            try {
                joined(stop);
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private Readiness.Verdict probe(JsonNode first) {
        String name = service.project() + "-" + service.name() + "-probe-" + id;
        String probe = start(create(blueprint(first).probe(image, name, labels(RolloutLabels.PROBE, first))));
        try {
            Readiness.Verdict verdict = readiness.await(probe, settings.healthTimeout());
            log.info("rollout {}: probe {} of {}: {}", id, name, image, verdict.ready() ? "healthy" : verdict.reason());
            return verdict;
        } finally {
            remove(probe);
        }
    }

    // The replacement of `old`, created (not started) with the new image; until it is healthy it does not restart.
    private Created create(JsonNode old, int number) {
        String name = service.project() + "-" + service.name() + "-" + number;
        ContainerBlueprint.Spec spec = blueprint(old).replica(image, imageId, name, number,
                labels(RolloutLabels.REPLICA, old));
        // Without a probe the replica proves the image itself: until it is healthy it does not restart, so an exit
        // is seen as one, with its exit code; then it gets the service's restart policy.
        JsonNode restart = spec.body().path("HostConfig").path("RestartPolicy").deepCopy();
        if (!traffic.needsProbe()) {
            ((ObjectNode) spec.body().path("HostConfig")).putObject("RestartPolicy").put("Name", "no");
        }
        log.debug("rollout {}: creating {}", id, name);
        return new Created(create(spec), name, restart);
    }

    private Optional<String> replace(JsonNode old, Created created) {
        String fresh = created.id();
        log.debug("rollout {}: starting {}", id, created.name());
        start(fresh);
        Instant started = clock.instant();
        try {
            Readiness.Verdict verdict = readiness.await(fresh, settings.healthTimeout());
            if (!verdict.ready()) {
                retire(fresh);
                return Optional.of(verdict.reason());
            }
            log.debug("rollout {}: {} is healthy", id, created.name());
            done.add(new Replacement(old.path("Id").asString(), fresh));
            traffic.swap(old.path("Id").asString(), fresh, started);
            swapped = clock.instant();
            log.debug("rollout {}: stopping {}", id, old.path("Name").asString());
            stopping.add(CompletableFuture.runAsync(() -> stop(old), inBackground("stop")));
            restartPolicy(created);
            log.info("rollout {}: {} took over from {}", id, created.name(), old.path("Name").asString());
            return Optional.empty();
        } catch (RuntimeException e) {
            if (done.stream().noneMatch(replacement -> replacement.fresh().equals(fresh))) {
                try {
                    retire(fresh);
                } catch (RuntimeException cleanup) {
                    e.addSuppressed(cleanup);
                }
            }
            restoreAfter(e);
            throw e;
        }
    }

    // Once healthy and serving (until then an exit is seen as one), the replacement gets the service's restart policy,
    // while its old replica stops.
    private void restartPolicy(Created created) {
        if (!traffic.needsProbe() && created.restart().isObject()) {
            docker.update(created.id(), JsonNodeFactory.instance.objectNode().set("RestartPolicy", created.restart()));
        }
    }

    // Back to the old replicas after `failure`; what goes wrong on the way is added to it.
    private void restoreAfter(RuntimeException failure) {
        try {
            restore();
        } catch (RuntimeException cleanup) {
            failure.addSuppressed(cleanup);
        }
    }

    // Back to the old replicas, newest replacement first, each in the same start-first order.
    private void restore() {
        try {
            awaitStopped();
        } catch (RuntimeException e) {
            log.warn("rollout {}: an old replica did not stop as asked ({}); it is started again all the same", id,
                    e.getMessage());
        }
        List<Replacement> undo = new ArrayList<>(done);
        Collections.reverse(undo);
        for (Replacement replacement : undo) {
            try {
                docker.client().startContainerCmd(replacement.old()).exec();
            } catch (NotModifiedException stillRunning) {
                log.debug("{} was still running", replacement.old());
            }
            Instant started = clock.instant();
            Readiness.Verdict verdict = readiness.await(replacement.old(), settings.healthTimeout());
            if (!verdict.ready()) {
                throw new RolloutException("could not bring back old container " + replacement.old() + " of "
                        + service + ": " + verdict.reason());
            }
            traffic.swap(replacement.fresh(), replacement.old(), started);
            retire(replacement.fresh());
            done.remove(replacement);
        }
    }

    private ContainerBlueprint blueprint(JsonNode container) {
        JsonNode oldImage = docker.inspectImage(container.path("Image").asString())
                .orElseThrow(() -> new RolloutException("the image of " + container.path("Name").asString()
                        + " (" + container.path("Image").asString() + ") is gone, so its own settings cannot be told"
                        + " from the image's defaults"));
        return new ContainerBlueprint(container, oldImage);
    }

    private Map<String, String> labels(String role, JsonNode replaces) {
        return Map.of(RolloutLabels.ID, id, RolloutLabels.ROLE, role, RolloutLabels.PROJECT, service.project(),
                RolloutLabels.SERVICE, service.name(), RolloutLabels.REPLACES, replaces.path("Id").asString());
    }

    private String create(ContainerBlueprint.Spec spec) {
        String container = docker.create(spec.name(), spec.body());
        try {
            spec.moreNetworks().forEach((network, endpoint) -> docker.connect(network, container, endpoint));
        } catch (RuntimeException e) {
            remove(container);
            throw e;
        }
        return container;
    }

    private String start(String container) {
        try {
            docker.client().startContainerCmd(container).exec();
        } catch (RuntimeException e) {
            remove(container);
            throw e;
        }
        return container;
    }

    // With the container's own stop signal and timeout, as `docker stop` would.
    private void stop(JsonNode container) {
        JsonNode timeout = container.path("Config").path("StopTimeout");
        int seconds = timeout.isInt() ? timeout.asInt() : DEFAULT_STOP_SECONDS;
        try {
            docker.slowClient().stopContainerCmd(container.path("Id").asString()).withTimeout(seconds).exec();
        } catch (NotModifiedException alreadyStopped) {
            log.debug("{} was already stopped", container.path("Name").asString());
        }
    }

    // A replica had the service's name, so it may be answering requests: stopped gracefully, then removed.
    private void retire(String container) {
        stop(docker.inspectContainer(container));
        remove(container);
    }

    private void remove(String container) {
        try {
            docker.client().removeContainerCmd(container).withForce(true).withRemoveVolumes(false).exec();
        } catch (NotFoundException alreadyGone) {
            log.debug("{} was already removed", container);
        }
    }
}
