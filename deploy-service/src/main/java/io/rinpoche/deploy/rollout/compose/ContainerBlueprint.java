package io.rinpoche.deploy.rollout.compose;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The create request for a container like {@code old} but on another image, built from the Engine API's
 * raw JSON (<a href="https://docs.docker.com/reference/api/engine/version/v1.45/#tag/Container/operation/ContainerCreate">ContainerCreate</a>)
 * so no field is lost that a typed model does not know (docker-java 3.5's has no StopSignal or StopTimeout).
 *
 * <p>A container's configuration mixes what its image set with what compose set. Docker merges an image's
 * defaults into a create request (Env, Labels, ExposedPorts, Volumes; Cmd, Entrypoint, Healthcheck... when
 * absent), so every value that merely repeats the OLD image's default is left out and the NEW image's
 * applies: its {@code ENV APP_VERSION}, its {@code HEALTHCHECK}, its {@code CMD}. What differs from the old
 * image came from the compose file and is kept. HostConfig (mounts, restart policy, resources, logging) is
 * all the compose file's and is copied whole, but for the masked and read-only paths Docker sets itself.
 */
final class ContainerBlueprint {

    /** A create request: {@code body} for {@code POST /containers/create?name=}, then a connect per extra network. */
    record Spec(String name, ObjectNode body, Map<String, ObjectNode> moreNetworks) {
    }

    // Config fields an image provides; kept only where the container's value is not the old image's.
    private static final List<String> IMAGE_DEFAULTS = List.of("WorkingDir", "User", "Healthcheck", "StopSignal",
            "Shell", "ExposedPorts", "Volumes", "OnBuild", "ArgsEscaped");
    // Networks that have no user-defined aliases.
    private static final Set<String> BUILT_IN_NETWORKS = Set.of("bridge", "host", "none", "default");

    private final JsonNode old;
    private final JsonNode oldImage;

    /** {@code old} is {@code GET /containers/{id}/json}, {@code oldImage} is {@code GET /images/{its Image}/json}. */
    ContainerBlueprint(JsonNode old, JsonNode oldImage) {
        this.old = old;
        this.oldImage = oldImage.path("Config");
    }

    /** The old container's name without Docker's leading slash. */
    String oldName() {
        return old.path("Name").asString().replaceFirst("^/", "");
    }

    /**
     * The replacement: the same service, aliases and compose labels, compose's container number {@code number}
     * (so {@code docker compose ps} lists it) and the rollout's {@code labels}.
     */
    Spec replica(String image, String imageId, String name, int number, Map<String, String> labels) {
        ObjectNode body = config(image);
        ObjectNode bodyLabels = (ObjectNode) body.get("Labels");
        if (bodyLabels.has(RolloutLabels.COMPOSE_PROJECT)) {
            bodyLabels.put(RolloutLabels.COMPOSE_NUMBER, Integer.toString(number));
            bodyLabels.put(RolloutLabels.COMPOSE_REPLACE, old.path("Id").asString());
            bodyLabels.put(RolloutLabels.COMPOSE_IMAGE, imageId);
        }
        labels.forEach(bodyLabels::put);
        body.set("HostConfig", hostConfig());
        return withNetworks(body, name, true);
    }

    /**
     * A throw-away container that proves the new image healthy with this configuration before any replica
     * takes traffic: no service alias (nothing resolves it), no compose labels (compose does not count it),
     * no published ports, no restart (an exit is seen as one).
     */
    Spec probe(String image, String name, Map<String, String> labels) {
        ObjectNode body = config(image);
        ObjectNode bodyLabels = (ObjectNode) body.get("Labels");
        bodyLabels.remove(new ArrayList<>(bodyLabels.propertyNames()).stream()
                .filter(key -> key.startsWith(RolloutLabels.COMPOSE)).toList());
        labels.forEach(bodyLabels::put);
        ObjectNode host = hostConfig();
        host.putObject("RestartPolicy").put("Name", "no");
        host.remove("PortBindings");
        host.put("PublishAllPorts", false);
        body.set("HostConfig", host);
        return withNetworks(body, name, false);
    }

    private ObjectNode config(String image) {
        ObjectNode config = ((ObjectNode) old.path("Config")).deepCopy();
        config.put("Image", image);
        // Docker names a container's host after its short id unless the compose file set a hostname.
        if (config.path("Hostname").asString().equals(shortId())) {
            config.remove("Hostname");
        }
        config.remove("MacAddress"); // per network endpoint since API 1.44; a copy would clash
        for (String field : IMAGE_DEFAULTS) {
            if (sameAsImage(field)) {
                config.remove(field);
            }
        }
        // Docker ignores the image's Cmd once a create request sets an Entrypoint, so the two go together.
        if (sameAsImage("Entrypoint")) {
            config.remove("Entrypoint");
            if (sameAsImage("Cmd")) {
                config.remove("Cmd");
            }
        }
        config.set("Env", env());
        config.set("Labels", labels());
        return config;
    }

    private ArrayNode env() {
        Set<String> imageEnv = new LinkedHashSet<>();
        oldImage.path("Env").forEach(entry -> imageEnv.add(entry.asString()));
        ArrayNode env = JsonNodeFactory.instance.arrayNode();
        old.path("Config").path("Env").forEach(entry -> {
            if (!imageEnv.contains(entry.asString())) {
                env.add(entry.asString());
            }
        });
        return env;
    }

    private ObjectNode labels() {
        ObjectNode labels = JsonNodeFactory.instance.objectNode();
        JsonNode imageLabels = oldImage.path("Labels");
        old.path("Config").path("Labels").forEachEntry((key, value) -> {
            if (!value.equals(imageLabels.path(key))) {
                labels.set(key, value);
            }
        });
        return labels;
    }

    private ObjectNode hostConfig() {
        ObjectNode host = ((ObjectNode) old.path("HostConfig")).deepCopy();
        // Docker fills these in with its defaults when a create leaves them out; sent, they could unmask /proc
        // paths, so the socket proxy (services/socket-proxy) refuses any create that sets them.
        host.remove(List.of("MaskedPaths", "ReadonlyPaths"));
        // Anonymous volumes (an image's VOLUME, a compose `- /path`) would be created afresh: mount the old ones by name.
        Map<String, String> volumeByTarget = new LinkedHashMap<>();
        old.path("Mounts").forEach(mount -> {
            if ("volume".equals(mount.path("Type").asString())) {
                volumeByTarget.put(mount.path("Destination").asString(), mount.path("Name").asString());
            }
        });
        Set<String> covered = new LinkedHashSet<>();
        host.path("Binds").forEach(bind -> covered.add(bindTarget(bind.asString())));
        ArrayNode mounts = host.path("Mounts").isArray() ? (ArrayNode) host.get("Mounts") : host.putArray("Mounts");
        mounts.forEach(mount -> {
            String target = mount.path("Target").asString();
            covered.add(target);
            if ("volume".equals(mount.path("Type").asString()) && mount.path("Source").asString().isEmpty()
                    && volumeByTarget.containsKey(target)) {
                ((ObjectNode) mount).put("Source", volumeByTarget.get(target));
            }
        });
        volumeByTarget.forEach((target, volume) -> {
            if (!covered.contains(target)) {
                mounts.addObject().put("Type", "volume").put("Source", volume).put("Target", target);
            }
        });
        return host;
    }

    // "source:/target[:options]" -> "/target"
    private static String bindTarget(String bind) {
        String[] parts = bind.split(":");
        return parts.length >= 2 ? parts[1] : parts[0];
    }

    // Endpoint settings per network: the one named by NetworkMode goes into the create request, the others are
    // connected before the start (a create request takes several endpoints only from API 1.44 on).
    private Spec withNetworks(ObjectNode body, String name, boolean keepAliases) {
        String mode = old.path("HostConfig").path("NetworkMode").asString();
        Map<String, ObjectNode> more = new LinkedHashMap<>();
        old.path("NetworkSettings").path("Networks").forEachEntry((network, endpoint) -> {
            ObjectNode settings = endpointSettings(network, endpoint, name, keepAliases);
            if (network.equals(mode) || ("default".equals(mode) && "bridge".equals(network))) {
                body.putObject("NetworkingConfig").putObject("EndpointsConfig").set(network, settings);
            } else if (!mode.startsWith("container:") && !"host".equals(mode) && !"none".equals(mode)) {
                more.put(network, settings);
            }
        });
        return new Spec(name, body, more);
    }

    // Links and driver options as they were; the aliases of that network with the old container's own name
    // swapped for the new one's (compose gives each container its name and the service name as aliases).
    // Not the IP address or MAC: those belong to the old container.
    private ObjectNode endpointSettings(String network, JsonNode endpoint, String name, boolean keepAliases) {
        ObjectNode settings = JsonNodeFactory.instance.objectNode();
        for (String field : List.of("Links", "DriverOpts")) {
            if (!normalized(endpoint.path(field)).isNull()) {
                settings.set(field, endpoint.get(field));
            }
        }
        if (keepAliases && !BUILT_IN_NETWORKS.contains(network)) {
            Set<String> gone = Set.of(oldName(), shortId());
            Set<String> aliases = new LinkedHashSet<>();
            endpoint.path("Aliases").forEach(alias -> aliases.add(gone.contains(alias.asString()) ? name : alias.asString()));
            ArrayNode list = settings.putArray("Aliases");
            aliases.forEach(list::add);
        }
        return settings;
    }

    private boolean sameAsImage(String field) {
        return normalized(old.path("Config").path(field)).equals(normalized(oldImage.path(field)));
    }

    // null, missing, "", [] and {} all mean "not set".
    private static JsonNode normalized(JsonNode node) {
        boolean unset = node.isNull() || node.isMissingNode() || (node.isString() && node.asString().isEmpty())
                || ((node.isArray() || node.isObject()) && node.isEmpty());
        return unset ? JsonNodeFactory.instance.nullNode() : node;
    }

    private String shortId() {
        String id = old.path("Id").asString();
        return id.length() >= 12 ? id.substring(0, 12) : id;
    }
}
