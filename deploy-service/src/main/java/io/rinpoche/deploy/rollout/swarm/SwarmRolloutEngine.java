package io.rinpoche.deploy.rollout.swarm;

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
import io.rinpoche.deploy.rollout.RolloutResult;
import io.rinpoche.deploy.rollout.ServiceState;
import io.rinpoche.deploy.rollout.docker.DockerJson;
import io.rinpoche.deploy.rollout.registry.RegistryApi;
import io.rinpoche.deploy.rollout.registry.RegistryLogin;
import io.rinpoche.deploy.rollout.registry.TagAtRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The rollout engine for a Docker Swarm cluster, driven through a manager's API: environment {@code production} is
 * the stack {@code <prefix>-production} ({@code docker stack deploy}), a service is the swarm service
 * {@code <stack>_<service>}. A rollout is one {@code service update} of the image, pinned by digest, with the
 * registry login forwarded to the nodes that pull it; Swarm replaces the tasks one at a time, start-first, each
 * new task counted only once its health check passes, and rolls back by itself when a new task fails. See
 * {@link SwarmRollout} for what the engine adds on top and why.
 */
public final class SwarmRolloutEngine implements RolloutEngine, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SwarmRolloutEngine.class);
    static final String STACK_LABEL = "com.docker.stack.namespace";
    // How long a listing leaves out, without asking again, a service whose image (pinned to no digest) no registry
    // told the digest of: the platform's own rinpoche/* images, which the manager would look up at Docker Hub on
    // every listing (every reconcile pass), each lookup taking up to api-timeout on a host that cannot reach it.
    static final Duration UNRESOLVED_RETRY = Duration.ofMinutes(5);

    private final SwarmEngineSettings settings;
    private final RegistryLogin registry;
    private final RegistryTags tags;
    private final Clock clock;
    private final SwarmApi api;
    // The services this process is rolling, by id, with their stacks: recover() leaves their updates and their stacks'
    // upstream files alone.
    private final Map<String, String> running = new ConcurrentHashMap<>();
    // Images pinned to no digest whose lookup failed, and when: see UNRESOLVED_RETRY.
    private final Map<String, Instant> unresolved = new ConcurrentHashMap<>();

    /** Asks {@code registry} (over its HTTP API) what a hook's tag points to, and forwards its login to the nodes. */
    public SwarmRolloutEngine(SwarmEngineSettings settings, RegistryLogin registry, Clock clock) {
        this(settings, registry, new RegistryApi(registry, settings.apiTimeout()), clock);
    }

    /** The same, with {@code tags} telling what a tag points to. */
    public SwarmRolloutEngine(SwarmEngineSettings settings, RegistryLogin registry, RegistryTags tags, Clock clock) {
        this.settings = settings;
        this.registry = registry;
        this.tags = tags;
        this.clock = clock;
        this.api = SwarmApi.connect(settings);
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

    /**
     * A rollout whose caller died leaves Swarm updating on its own, without the engine's health deadline, and nginx's
     * upstream files naming tasks Swarm goes on stopping: the files go first (nginx then finds the tasks by DNS), then
     * each service of the environment still updating (or paused) is rolled back to its previous spec, and waited for.
     * The services this process is rolling now, and the files of their environment, are left alone, so it may be
     * called at any time.
     */
    @Override
    public List<String> recover(Environment environment) {
        try {
            String stack = settings.stack(environment);
            List<String> done = new ArrayList<>();
            // Held while clearing, so that no rollout of the stack registers (and writes its files) between check and clear.
            synchronized (running) {
                if (!running.containsValue(stack)) {
                    done.addAll(SwarmUpstreams.clear(api, settings, clock, environment.name(), stack));
                }
            }
            for (JsonNode service : services(stack)) {
                String state = service.path("UpdateStatus").path("State").asString("");
                boolean left = state.equals("updating") || state.equals("paused") || state.equals("rollback_started");
                if (left && !running.containsKey(service.path("ID").asString())) {
                    SwarmRollout rollout = rollout(service, SwarmTraffic.BY_DNS);
                    Optional<String> stuck = rollout.recover(state);
                    done.add(name(service) + ": update left " + state + ", "
                            + stuck.orElse("rolled back to " + SwarmImages.reference(previousImage(service))));
                }
            }
            return done;
        } catch (RuntimeException e) {
            throw new RolloutException("cannot tidy up environment " + environment + ": " + settings.endpoint().describe(e), e);
        }
    }

    @Override
    public List<ServiceState> services(Environment environment) {
        try {
            Map<String, ServiceState> states = new TreeMap<>();
            String stack = settings.stack(environment);
            for (JsonNode service : services(stack)) {
                listed(service, stack).ifPresent(state -> states.put(state.service().name(), state));
            }
            return List.copyOf(states.values());
        } catch (RolloutException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new RolloutException("cannot list environment " + environment + ": " + settings.endpoint().describe(e), e);
        }
    }

    @Override
    public void close() {
        api.close();
    }

    private RolloutResult rollOnce(DeployRequest request, ImageCheck check) {
        Instant start = clock.instant();
        if (check == ImageCheck.TAG_AT_REGISTRY) {
            TagAtRegistry.require(tags, request);
        }
        String stack = settings.stack(request.environment());
        JsonNode service = find(stack, request.service()).orElseThrow(() -> new RolloutException("no service "
                + request.service() + " in environment " + request.environment() + " (swarm stack " + stack
                + ") to roll onto " + request.image()));
        ServiceState before = state(service, stack, false).filter(state -> state.replicas() > 0).orElseThrow(
                () -> new RolloutException("no running task of " + name(service) + " (environment "
                        + request.environment() + ") to roll onto " + request.image()));
        ImageRef ref = request.image();
        Digest digest = ref.digest() != null ? ref.digest() : resolve(ref, "cannot roll " + request);
        ImageVersion to = new ImageVersion(SwarmImages.reference(ref.toString()), digest);
        String image = SwarmImages.pinned(ref, digest);
        String status = service.path("UpdateStatus").path("State").asString("");
        if (!before.mixed() && before.image().digest().equals(digest) && !status.equals("updating")
                && SwarmImages.digest(specImage(service)).filter(digest::equals).isPresent()) {
            return result(request, RolloutResult.Outcome.SKIPPED, before.image(), to, start, "already running " + to);
        }
        log.info("swarm rollout: {} ({} task(s), from {})", request, before.replicas(), before.image());
        Optional<String> failure = runAlone(request, stack, service, image, auth(ref));
        RolloutResult result = failure
                .map(reason -> result(request, RolloutResult.Outcome.ROLLED_BACK, before.image(), to, start, reason))
                .orElseGet(() -> result(request, RolloutResult.Outcome.DEPLOYED, before.image(), to, start, ""));
        log.info("swarm rollout: {}", result.summary());
        return result;
    }

    // The scheduler runs one rollout per service at a time; while it runs, recover() must not take it for a leftover.
    private Optional<String> runAlone(DeployRequest request, String stack, JsonNode service, String image,
                                      Optional<String> auth) {
        String id = service.path("ID").asString();
        synchronized (running) {
            running.put(id, stack);
        }
        try {
            SwarmTraffic traffic = SwarmUpstreams.of(api, settings, clock, request.environment().name(), stack,
                    request.service().name());
            return rollout(service, traffic).run(image, auth);
        } finally {
            running.remove(id);
        }
    }

    private SwarmRollout rollout(JsonNode service, SwarmTraffic traffic) {
        return new SwarmRollout(api, settings, clock, service.path("ID").asString(), name(service), traffic);
    }

    // What the tag points to now, as the manager's engine sees it at the registry (GET /distribution), the lookup
    // `docker service update` makes: the nodes will pull that very manifest.
    private Digest resolve(ImageRef ref, String context) {
        Map<String, String> headers = auth(ref).map(auth -> Map.of("X-Registry-Auth", auth)).orElse(Map.of());
        JsonNode found = api.find("/distribution/" + ref.name() + ":" + ref.tag() + "/json", headers)
                .orElseThrow(() -> new RolloutException(context + ": the registry does not know " + ref.pinned()));
        return Digest.parse(found.path("Descriptor").path("digest").asString());
    }

    // X-Registry-Auth: base64url of the login as JSON, for the manager's lookup and stored with the service for the
    // nodes' pulls (never in the spec that `docker service inspect` shows).
    private Optional<String> auth(ImageRef ref) {
        return registry.authFor(ref).map(auth -> {
            ObjectNode json = JsonNodeFactory.instance.objectNode().put("username", auth.getUsername())
                    .put("password", auth.getPassword()).put("serveraddress", auth.getRegistryAddress());
            return Base64.getUrlEncoder().encodeToString(json.toString().getBytes(StandardCharsets.UTF_8));
        });
    }

    private List<JsonNode> services(String stack) {
        String filter = "{\"label\":[\"" + STACK_LABEL + "=" + stack + "\"]}";
        return api.get("/services?filters=" + DockerJson.encode(filter)).valueStream().toList();
    }

    private Optional<JsonNode> find(String stack, ServiceName service) {
        String full = stack + "_" + service.name();
        return services(stack).stream().filter(s -> s.path("Spec").path("Name").asString().equals(full)).findFirst();
    }

    // A service whose tasks run an image no registry knows (the platform's own rinpoche/* images, built on the
    // manager, which runs them) is not the engine's to roll: it is left out of the listing instead of failing it,
    // also when the lookup of that image timed out (the manager asks Docker Hub for a name without a registry).
    private Optional<ServiceState> listed(JsonNode service, String stack) {
        try {
            return state(service, stack, true);
        } catch (RuntimeException e) {
            log.debug("swarm: {} not listed: {}", name(service), e.getMessage());
            return Optional.empty();
        }
    }

    // The service as its running tasks show it; empty for a service with no task meant to run. `listing`: an image
    // whose lookup failed lately is not looked up again (a rollout always asks).
    private Optional<ServiceState> state(JsonNode service, String stack, boolean listing) {
        ServiceName name = ServiceName.of(name(service).substring(stack.length() + 1));
        ServiceState merged = null;
        for (JsonNode task : SwarmTasks.meantToRun(api, service.path("ID").asString())) {
            String image = task.path("Spec").path("ContainerSpec").path("Image").asString();
            ServiceState one = new ServiceState(name, version(image, listing), SwarmTasks.health(task),
                    Instant.parse(task.path("Status").path("Timestamp").asString()), 1, false);
            merged = merged == null ? one : merged(merged, one);
        }
        return Optional.ofNullable(merged);
    }

    private ImageVersion version(String image, boolean listing) {
        Optional<Digest> digest = SwarmImages.digest(image);
        if (digest.isPresent()) {
            return new ImageVersion(SwarmImages.reference(image), digest.get());
        }
        Instant failed = unresolved.get(image);
        if (listing && failed != null && clock.instant().isBefore(failed.plus(UNRESOLVED_RETRY))) {
            throw new RolloutException("a task runs " + image + ", pinned to no digest, which no registry knew at "
                    + failed);
        }
        try {
            Digest found = resolve(ImageRef.parse(image), "a task runs " + image + ", pinned to no digest");
            unresolved.remove(image);
            return new ImageVersion(image, found);
        } catch (RuntimeException e) {
            unresolved.put(image, clock.instant());
            throw e;
        }
    }

    // Two tasks of one service as one state; tasks on different digests make it mixed.
    private static ServiceState merged(ServiceState a, ServiceState b) {
        return new ServiceState(a.service(), a.image(), a.health().worst(b.health()),
                a.since().isBefore(b.since()) ? a.since() : b.since(), a.replicas() + b.replicas(),
                a.mixed() || b.mixed() || !a.image().digest().equals(b.image().digest()));
    }

    private static String specImage(JsonNode service) {
        return service.path("Spec").path("TaskTemplate").path("ContainerSpec").path("Image").asString();
    }

    private static String previousImage(JsonNode service) {
        return service.path("PreviousSpec").path("TaskTemplate").path("ContainerSpec").path("Image").asString();
    }

    private static String name(JsonNode service) {
        return service.path("Spec").path("Name").asString();
    }

    private RolloutResult result(DeployRequest request, RolloutResult.Outcome outcome, ImageVersion from,
                                 ImageVersion to, Instant start, String reason) {
        return new RolloutResult(request, outcome, from, to, Duration.between(start, clock.instant()), reason);
    }



}
