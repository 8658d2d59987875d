package io.rinpoche.deploy.rollout.compose;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.PullImageCmd;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.PullResponseItem;
import io.rinpoche.deploy.model.DeployRequest;
import io.rinpoche.deploy.model.Digest;
import io.rinpoche.deploy.model.Environment;
import io.rinpoche.deploy.model.ImageRef;
import io.rinpoche.deploy.model.ServiceName;
import io.rinpoche.deploy.rollout.ImageCheck;
import io.rinpoche.deploy.rollout.ImageVersion;
import io.rinpoche.deploy.rollout.RegistryTags;
import io.rinpoche.deploy.rollout.RolloutEngine;
import io.rinpoche.deploy.rollout.RolloutException;
import io.rinpoche.deploy.rollout.TransientRolloutException;
import io.rinpoche.deploy.rollout.RolloutResult;
import io.rinpoche.deploy.rollout.ServiceState;
import io.rinpoche.deploy.rollout.registry.RegistryApi;
import io.rinpoche.deploy.rollout.registry.RegistryLogin;
import io.rinpoche.deploy.rollout.registry.TagAtRegistry;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * The rollout engine for one Docker host: environment {@code production} is the compose project
 * {@code <prefix>-production}; a service's containers are found by compose's labels and replaced one by
 * one, start-first, by containers with the same configuration and the new image (see
 * {@link ComposeRollout} for the order of steps and why it loses no request). With {@code proxy-upstreams} set and the
 * environment's proxy running, the proxy is told which replicas to route to ({@link NginxUpstreams}); otherwise the
 * engine relies on the proxy's DNS lookups ({@link DnsTraffic}).
 */
public final class ComposeRolloutEngine implements RolloutEngine, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ComposeRolloutEngine.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ComposeEngineSettings settings;
    private final RegistryLogin registry;
    private final RegistryTags tags;
    private final Clock clock;
    private final DockerApi docker;
    private final Readiness readiness;
    // The rollouts in progress, by id: recover() leaves their containers alone.
    // The rollouts this process runs now: id -> compose project.
    private final Map<String, String> running = new ConcurrentHashMap<>();

    /** Connects to the engine the settings name (nothing is sent until the first call). */
    public ComposeRolloutEngine(ComposeEngineSettings settings, Clock clock) {
        this(settings, RegistryLogin.none(), clock);
    }

    /** Pulls from {@code registry} with its credentials, and asks it (over its HTTP API) what a hook's tag points to. */
    public ComposeRolloutEngine(ComposeEngineSettings settings, RegistryLogin registry, Clock clock) {
        this(settings, registry, new RegistryApi(registry, settings.apiTimeout()), clock);
    }

    /** The same, with {@code tags} telling what a tag points to. */
    public ComposeRolloutEngine(ComposeEngineSettings settings, RegistryLogin registry, RegistryTags tags, Clock clock) {
        this.settings = settings;
        this.registry = registry;
        this.tags = tags;
        this.clock = clock;
        this.docker = DockerApi.connect(settings);
        this.readiness = new Readiness(docker, settings, clock);
    }

    @Override
    public RolloutResult roll(DeployRequest request, ImageCheck check) {
        try {
            return rollOnce(request, check);
        } catch (RolloutException e) {
            throw e;
        } catch (RuntimeException e) {
            throw settings.endpoint().failure(request.toString(), e);
        }
    }

    @Override
    public List<String> recover(Environment environment) {
        try {
            String project = settings.project(environment);
            List<String> done = new java.util.ArrayList<>();
            // nginx's upstream files first, so that it finds every replica by its name while the leftovers are settled;
            // not while a rollout of this environment runs here: its files are the ones that pin its traffic.
            // Held while clearing, so that no rollout of it registers (and writes its files) between check and clear.
            synchronized (running) {
                if (!running.containsValue(project)) {
                    done.addAll(NginxUpstreams.clear(docker, settings, clock, environment.name(), project));
                }
            }
            done.addAll(new Leftovers(docker, project).clear(id -> !running.containsKey(id)));
            return done;
        } catch (RuntimeException e) {
            throw new RolloutException("cannot tidy up environment " + environment + ": " + settings.endpoint().describe(e), e);
        }
    }

    @Override
    public List<ServiceState> services(Environment environment) {
        try {
            return list(environment);
        } catch (RolloutException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new RolloutException("cannot list environment " + environment + ": " + settings.endpoint().describe(e), e);
        }
    }

    @Override
    public void close() {
        docker.close();
    }




    private RolloutResult rollOnce(DeployRequest request, ImageCheck check) {
        Instant start = clock.instant();
        if (check == ImageCheck.TAG_AT_REGISTRY) {
            TagAtRegistry.require(tags, request);
        }
        ServiceContainers service = service(request.environment(), request.service());
        List<JsonNode> replicas = service.running().stream().map(c -> docker.inspectContainer(c.getId())).toList();
        if (replicas.isEmpty()) {
            throw new RolloutException("no running container of " + service + " (environment "
                    + request.environment() + ") to roll onto " + request.image());
        }
        ImageVersion from = version(replicas.get(0));
        JsonNode image = image(request, check);
        String imageId = image.path("Id").asString();
        String reference = reference(request.image(), image);
        ImageVersion to = new ImageVersion(reference, digest(image, request.image().name()));
        if (replicas.stream().allMatch(replica -> replica.path("Image").asString().equals(imageId))) {
            return result(request, RolloutResult.Outcome.SKIPPED, from, to, start, "already running " + to);
        }
        refuseWhatCannotRunTwice(replicas.get(0), request);
        String id = rolloutId();
        log.info("rollout {}: {} ({} replica(s), from {})", id, request, replicas.size(), from);
        Traffic traffic = NginxUpstreams.of(docker, settings, clock, request.environment().name(), service)
                .<Traffic>map(pins -> pins).orElseGet(() -> new DnsTraffic(settings.dnsRefresh(), clock));
        ComposeRollout rollout = new ComposeRollout(id, docker, readiness, settings, clock, service, reference, imageId,
                traffic);
        Optional<String> failure = run(rollout, replicas);
        RolloutResult result = failure
                .map(reason -> result(request, RolloutResult.Outcome.ROLLED_BACK, from, to, start, reason))
                .orElseGet(() -> deployed(request, from, to, start, rollout.serving().orElseThrow()));
        log.info("rollout {}: {}", id, result.summary());
        return result;
    }

    // A rollout that throws half-way (the engine failing, a timeout) may not have tidied up: its probe and
    // replicas are cleared at once, and if the engine cannot do even that, by the reconcile loop's next recover().
    private Optional<String> run(ComposeRollout rollout, List<JsonNode> replicas) {
        synchronized (running) {
            running.put(rollout.id(), rollout.project());
        }
        try {
            return rollout.run(replicas);
        } catch (RuntimeException e) {
            try {
                new Leftovers(docker, rollout.project()).clear(rollout.id()::equals)
                        .forEach(line -> log.warn("rollout {}: {}", rollout.id(), line));
            } catch (RuntimeException tidying) {
                e.addSuppressed(tidying);
            }
            throw e;
        } finally {
            running.remove(rollout.id());
        }
    }

    private List<ServiceState> list(Environment environment) {
        String project = settings.project(environment);
        List<Container> containers = docker.client().listContainersCmd()
                .withLabelFilter(Map.of(RolloutLabels.COMPOSE_PROJECT, project, RolloutLabels.COMPOSE_ONEOFF, "False"))
                .exec();
        Map<String, ServiceState> states = new TreeMap<>();
        for (Container container : containers) {
            JsonNode inspected = docker.inspectContainer(container.getId());
            String name = container.getLabels().get(RolloutLabels.COMPOSE_SERVICE);
            ServiceState replica = new ServiceState(ServiceName.of(name), version(inspected), health(inspected),
                    Instant.parse(inspected.path("State").path("StartedAt").asString()), 1, false,
                    inspected.path("RestartCount").asLong(0));
            states.merge(name, replica, ComposeRolloutEngine::merged);
        }
        return List.copyOf(states.values());
    }

    // Two replicas of one service as one state; replicas on different digests make it mixed.
    private static ServiceState merged(ServiceState a, ServiceState b) {
        return new ServiceState(a.service(), a.image(), a.health().worst(b.health()),
                a.since().isBefore(b.since()) ? a.since() : b.since(), a.replicas() + b.replicas(),
                a.mixed() || b.mixed() || !a.image().digest().equals(b.image().digest()), a.restarts() + b.restarts());
    }

    // What containers are created from: the reference as requested, name:tag@digest when it has both (Docker
    // resolves that by the digest alone, and the tag stays readable as the version), except for a local image
    // pinned by its id, which the engine knows only by id or by its tag (name@<image id> is no reference).
    private static String reference(ImageRef ref, JsonNode image) {
        String id = image.path("Id").asString();
        if (ref.digest() == null || !ref.digest().value().equals(id)) {
            return ref.toString();
        }
        String tagged = ref.name() + ":" + ref.tag();
        for (JsonNode tag : image.path("RepoTags")) {
            if (tag.asString().equals(tagged)) {
                return tagged;
            }
        }
        return id;
    }

    // 12 hex characters: names the probe and labels every container the rollout makes.
    private static String rolloutId() {
        byte[] bytes = new byte[6];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private ServiceContainers service(Environment environment, ServiceName service) {
        return new ServiceContainers(docker, settings.project(environment), service.name());
    }

    // A local image is used as it is; a missing one is pulled, by digest when the request has one. A hook's image
    // comes from the registry: under its registry digest or pulled, never a local image by id or by tag.
    private JsonNode image(DeployRequest request, ImageCheck check) {
        ImageRef ref = request.image();
        boolean fromRegistry = check == ImageCheck.TAG_AT_REGISTRY;
        Optional<JsonNode> local = fromRegistry && ref.digest() == null ? Optional.empty()
                : docker.inspectImage(ref.pinned());
        if (local.isEmpty() && ref.digest() != null && !fromRegistry) {
            // A locally built image has no registry digest: its pin (e.g. a rollback to it) is its image id.
            local = docker.inspectImage(ref.digest().value());
        }
        if (local.isPresent()) {
            return local.get();
        }
        pull(ref, request);
        return docker.inspectImage(ref.pinned()).orElseThrow(() -> new RolloutException(
                "pulled " + ref.pinned() + " for " + request + " but the engine does not list it"));
    }

    private void pull(ImageRef ref, DeployRequest request) {
        PullCallback callback = new PullCallback();
        String tag = ref.digest() != null ? ref.digest().value() : ref.tag();
        try {
            PullImageCmd pull = docker.slowClient().pullImageCmd(ref.name()).withTag(tag);
            registry.authFor(ref).ifPresent(pull::withAuthConfig);
            pull.exec(callback);
            if (!callback.awaitCompletion(settings.pullTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                callback.close();
                throw new TransientRolloutException("pulling " + ref.pinned() + " for " + request
                        + " took longer than " + settings.pullTimeout(), null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RolloutException("interrupted while pulling " + ref.pinned() + " for " + request, e);
        } catch (java.io.IOException | DockerException e) {
            throw pullFailure(ref, request, e);
        }
        if (callback.error != null) {
            throw pullFailure(ref, request, callback.error);
        }
    }

    // An image the registry does not have is final; a registry or engine that is down or failing may come back.
    private static RolloutException pullFailure(ImageRef ref, DeployRequest request, Throwable e) {
        String message = "cannot pull " + ref.pinned() + " for " + request + ": " + e.getMessage();
        boolean missing = e instanceof NotFoundException || e.getMessage() != null
                && e.getMessage().matches("(?is).*(manifest unknown|not found|does not exist|unauthorized|denied).*");
        return missing ? new RolloutException(message, e) : new TransientRolloutException(message, e);
    }

    /** Keeps a pull's error for the caller instead of logging it as docker-java's default callback does. */
    private static final class PullCallback extends ResultCallback.Adapter<PullResponseItem> {
        private volatile Throwable error;

        @Override
        public void onNext(PullResponseItem item) {
            if (item.getErrorDetail() != null) {
                error = new RolloutException(item.getErrorDetail().getMessage());
            }
        }

        @Override
        public void onError(Throwable throwable) {
            error = throwable;
            try {
                close();
            } catch (java.io.IOException e) {
                throwable.addSuppressed(e);
            }
        }
    }

    // Start-first means two containers at once: a fixed host port or a fixed address cannot be had twice.
    private static void refuseWhatCannotRunTwice(JsonNode replica, DeployRequest request) {
        String name = replica.path("Name").asString().replaceFirst("^/", "");
        replica.path("HostConfig").path("PortBindings").forEachEntry((port, bindings) -> bindings.forEach(binding -> {
            String hostPort = binding.path("HostPort").asString("");
            if (!hostPort.isEmpty() && !hostPort.equals("0")) {
                throw new RolloutException(request + ": " + name + " publishes " + port + " on host port " + hostPort
                        + ", which the new container cannot bind while the old one runs (publish through a proxy instead)");
            }
        }));
        if ("host".equals(replica.path("HostConfig").path("NetworkMode").asString())) {
            throw new RolloutException(request + ": " + name + " uses the host's network, where the old and the new"
                    + " container cannot both listen");
        }
        replica.path("NetworkSettings").path("Networks").forEachEntry((network, endpoint) -> {
            if (!endpoint.path("IPAMConfig").path("IPv4Address").asString("").isEmpty()
                    || !endpoint.path("IPAMConfig").path("IPv6Address").asString("").isEmpty()) {
                throw new RolloutException(request + ": " + name + " has a fixed address on network " + network
                        + ", which the new container cannot have while the old one runs");
            }
        });
    }

    private ImageVersion version(JsonNode container) {
        String reference = container.path("Config").path("Image").asString();
        return docker.inspectImage(container.path("Image").asString())
                .map(image -> new ImageVersion(reference, digest(image, nameOf(reference))))
                .orElseGet(() -> new ImageVersion(reference, Digest.parse(container.path("Image").asString())));
    }

    // The registry's manifest digest for that repository when the image was pulled, else the local image id.
    private static Digest digest(JsonNode image, String name) {
        for (JsonNode repoDigest : image.path("RepoDigests").values()) {
            String value = repoDigest.asString();
            int at = value.indexOf('@');
            if (at > 0 && value.substring(0, at).equals(name) && Digest.isDigest(value.substring(at + 1))) {
                return Digest.parse(value.substring(at + 1));
            }
        }
        return Digest.parse(image.path("Id").asString());
    }

    // "registry/repo:tag@sha256:..." -> "registry/repo"
    private static String nameOf(String reference) {
        String name = reference.contains("@") ? reference.substring(0, reference.indexOf('@')) : reference;
        int colon = name.lastIndexOf(':');
        return colon > name.lastIndexOf('/') ? name.substring(0, colon) : name;
    }

    private static ServiceState.Health health(JsonNode container) {
        JsonNode state = container.path("State");
        if (!state.path("Running").asBoolean()) {
            return ServiceState.Health.STOPPED;
        }
        return switch (state.path("Health").path("Status").asString("")) {
            case "healthy" -> ServiceState.Health.HEALTHY;
            case "unhealthy" -> ServiceState.Health.UNHEALTHY;
            case "starting" -> ServiceState.Health.STARTING;
            default -> ServiceState.Health.NO_HEALTHCHECK;
        };
    }

    // Deployed, with what came after the new image served (the old replicas' stop and removal, nginx unpinned).
    private RolloutResult deployed(DeployRequest request, ImageVersion from, ImageVersion to, Instant start,
                                   Instant serving) {
        Instant end = clock.instant();
        return new RolloutResult(request, RolloutResult.Outcome.DEPLOYED, from, to, Duration.between(start, end), "",
                Duration.between(serving, end));
    }

    private RolloutResult result(DeployRequest request, RolloutResult.Outcome outcome, ImageVersion from,
                                 ImageVersion to, Instant start, String reason) {
        return new RolloutResult(request, outcome, from, to, Duration.between(start, clock.instant()), reason);
    }
}
