package io.rinpoche.deploy.rollout.swarm;

import io.rinpoche.deploy.rollout.RolloutException;
import io.rinpoche.deploy.rollout.docker.DockerJson;
import io.rinpoche.deploy.rollout.nginx.ProxyContainers;
import io.rinpoche.deploy.rollout.nginx.UpstreamFiles;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Tells the stack's nginx which tasks of a service to send requests to during a rollout ({@link UpstreamFiles}, shared
 * with the compose engine), so that no request is on its way to a task when Swarm stops it.
 *
 * <p>Swarm gives no hook before it stops a task: once a start-first update's new task runs, it drops the old task of
 * the same slot from DNS, waits 2 s and sends the stop signal. So the old task leaves nginx's upstream as soon as its
 * replacement is <em>created</em>, seconds before it turns healthy, while the slot's other tasks serve; the new task
 * joins once it runs. A task Swarm no longer means to run leaves at once. Each change is a graceful reload, waited for
 * until nginx's old workers have finished their requests in flight. Only when the doomed task is the last one running
 * (a single replica) does it stay until its replacement runs: then the swap races Swarm's 2 s, a margin, no handshake.
 *
 * <p>nginx runs on the manager the engine talks to ({@code <stack>_<proxy-service>}, found by the swarm's service label),
 * which gets SIGHUP and {@code docker top} through the same API; the tasks are named by their addresses on an overlay
 * network nginx is attached to.
 */
final class SwarmUpstreams implements SwarmTraffic {

    private static final Logger log = LoggerFactory.getLogger(SwarmUpstreams.class);
    static final String SERVICE_LABEL = "com.docker.swarm.service.name";

    private final SwarmEngineSettings settings;
    private final UpstreamFiles files;
    private final List<String> networks;
    private List<String> routed;

    private SwarmUpstreams(SwarmEngineSettings settings, UpstreamFiles files, List<String> networks) {
        this.settings = settings;
        this.files = files;
        this.networks = networks;
    }

    /**
     * The upstream files of {@code service} (its name in the stack) in {@code environment}, when the settings name a
     * directory and the stack's proxy runs on the manager with a directory mounted at {@value UpstreamFiles#MOUNT};
     * else the proxy relies on DNS.
     */
    static SwarmTraffic of(SwarmApi api, SwarmEngineSettings settings, Clock clock, String environment, String stack,
                           String service) {
        if (settings.proxyUpstreams() == null) {
            return BY_DNS;
        }
        List<String> proxies = proxies(api, settings, stack);
        List<JsonNode> inspected = proxies.stream().map(id -> api.get("/containers/" + DockerJson.encode(id) + "/json"))
                .toList();
        if (proxies.isEmpty() || !inspected.stream().allMatch(UpstreamFiles::mountedIn)) {
            log.warn("no {}_{} on the manager with {} mounted: the rollout of {} relies on DNS", stack,
                    settings.proxyService(), UpstreamFiles.MOUNT, service);
            return BY_DNS;
        }
        List<String> networks = new ArrayList<>();
        inspected.forEach(proxy -> proxy.path("NetworkSettings").path("Networks")
                .forEachEntry((name, endpoint) -> networks.add(endpoint.path("NetworkID").asString())));
        return new SwarmUpstreams(settings, new UpstreamFiles(containers(api), clock, settings.drainTimeout(),
                Path.of(settings.proxyUpstreams(), environment), service, proxies), networks);
    }

    /** Removes the upstream files a killed rollout left in {@code environment} and reloads its proxy: what was removed. */
    static List<String> clear(SwarmApi api, SwarmEngineSettings settings, Clock clock, String environment,
                              String stack) {
        if (settings.proxyUpstreams() == null) {
            return List.of();
        }
        return UpstreamFiles.clear(containers(api), clock, settings.drainTimeout(),
                Path.of(settings.proxyUpstreams(), environment), proxies(api, settings, stack));
    }

    @Override
    public void follow(List<JsonNode> tasks) {
        List<String> addresses = serving(tasks).stream().map(this::address).toList();
        if (!addresses.equals(routed)) {
            files.route(addresses);
            routed = addresses;
        }
    }

    @Override
    public void end(boolean settled) {
        files.release(!settled);
    }

    /**
     * The tasks nginx may send requests to: those running that Swarm means to keep running, less any whose slot has a
     * newer task meant to run (Swarm stops it once that one runs), unless that would leave none. By slot.
     */
    static List<JsonNode> serving(List<JsonNode> tasks) {
        List<JsonNode> meant = tasks.stream().filter(task -> task.path("DesiredState").asString().equals("running"))
                .toList();
        List<JsonNode> running = meant.stream().filter(task -> SwarmTasks.state(task).equals("running"))
                .sorted(Comparator.comparing(SwarmUpstreams::slot)).toList();
        List<JsonNode> staying = running.stream().filter(task -> meant.stream().noneMatch(other -> replaces(other, task)))
                .toList();
        return staying.isEmpty() ? running : staying;
    }

    // Whether `newer` is a later task of the same slot (a replicated service's Slot, a global one's node).
    private static boolean replaces(JsonNode newer, JsonNode task) {
        return slot(newer).equals(slot(task)) && created(newer).isAfter(created(task));
    }

    private static String slot(JsonNode task) {
        int slot = task.path("Slot").asInt(0);
        return slot > 0 ? String.format("%09d", slot) : task.path("NodeID").asString("");
    }

    private static Instant created(JsonNode task) {
        return Instant.parse(task.path("CreatedAt").asString());
    }

    // The task's address on the first network (by id) it shares with the proxy, with the app's port.
    private String address(JsonNode task) {
        Map<String, String> addresses = new TreeMap<>();
        for (JsonNode attachment : task.path("NetworksAttachments")) {
            String network = attachment.path("Network").path("ID").asString();
            JsonNode first = attachment.path("Addresses").path(0);
            if (networks.contains(network) && first.isString()) {
                addresses.put(network, first.asString().replaceFirst("/[0-9]+$", ""));
            }
        }
        String ip = addresses.values().stream().findFirst().orElseThrow(() -> new RolloutException("task "
                + task.path("ID").asString() + " (slot " + task.path("Slot").asInt() + ") has no address on a network"
                + " of the proxy " + settings.proxyService()));
        return (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + settings.appPort();
    }

    // SIGHUP and `docker top` of the proxy's containers on the manager, through the swarm engine's raw API.
    private static ProxyContainers containers(SwarmApi api) {
        return new ProxyContainers() {
            @Override
            public void hangUp(String id) {
                api.post("/containers/" + DockerJson.encode(id) + "/kill?signal=HUP");
            }

            @Override
            public Processes top(String id) {
                JsonNode top = api.get("/containers/" + DockerJson.encode(id) + "/top");
                List<String> titles = top.path("Titles").valueStream().map(JsonNode::asString).toList();
                List<List<String>> rows = top.path("Processes").valueStream()
                        .map(row -> row.valueStream().map(JsonNode::asString).toList()).toList();
                return new Processes(titles, rows);
            }
        };
    }

    // The proxy's running containers on the manager.
    private static List<String> proxies(SwarmApi api, SwarmEngineSettings settings, String stack) {
        String filter = "{\"label\":[\"" + SERVICE_LABEL + "=" + stack + "_" + settings.proxyService() + "\"]}";
        return api.get("/containers/json?filters=" + DockerJson.encode(filter)).valueStream()
                .map(container -> container.path("Id").asString()).toList();
    }
}
