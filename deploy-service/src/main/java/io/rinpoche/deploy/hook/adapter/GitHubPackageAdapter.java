package io.rinpoche.deploy.hook.adapter;

import io.rinpoche.deploy.model.Digest;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/**
 * GitHub {@code registry_package} and {@code package} webhook events for GHCR container images
 * (https://docs.github.com/en/webhooks/webhook-events-and-payloads#registry_package): the tag is
 * {@code package_version.container_metadata.tag.name}, the image is {@code package_url} without its tag.
 * Other events (e.g. {@code ping}), other actions and untagged versions are ignored.
 */
public final class GitHubPackageAdapter implements HookAdapter {

    private static final Set<String> EVENTS = Set.of("registry_package", "package");
    // "published" is a new version; "updated" covers a version that gained a tag.
    private static final Set<String> ACTIONS = Set.of("published", "updated");

    @Override
    public HookEvents events(JsonNode payload, HookContext context) {
        String event = context.header("x-github-event");
        if (event != null && !EVENTS.contains(event)) {
            return HookEvents.ignored("GitHub event " + Json.shown(event) + ", not a package event");
        }
        JsonNode pkg = Json.has(payload, "registry_package") ? Json.object(payload, "registry_package")
                : Json.object(payload, "package");
        String action = Json.requiredText(payload, "action");
        if (!ACTIONS.contains(action)) {
            return HookEvents.ignored("package action " + Json.shown(action));
        }
        JsonNode version = Json.object(pkg, "package_version");
        if (!Json.has(version, "container_metadata")) {
            return HookEvents.ignored("not a container package");
        }
        Optional<String> tag = Json.text(version, "container_metadata.tag.name");
        if (tag.isEmpty()) {
            return HookEvents.ignored("container version pushed without a tag");
        }
        String id = EventIds.orFromBody(context.header("x-github-delivery"), context.body(), 0);
        var image = Images.parse(imageName(pkg, version) + ":" + tag.get());
        return new HookEvents(List.of(Images.push(image.registry(), image.repository(), image.tag(),
                digest(version), context.source(), id)), List.of());
    }

    // package_url is "ghcr.io/<owner>/<name>:<tag>"; GHCR names are lower case even when the owner is not.
    private static String imageName(JsonNode pkg, JsonNode version) {
        Optional<String> url = Json.text(version, "package_url");
        if (url.isPresent()) {
            String name = url.get().toLowerCase(Locale.ROOT);
            int colon = name.lastIndexOf(':');
            return colon > name.lastIndexOf('/') ? name.substring(0, colon) : name;
        }
        return ("ghcr.io/" + Json.requiredText(pkg, "owner.login") + "/" + Json.requiredText(pkg, "name"))
                .toLowerCase(Locale.ROOT);
    }

    // The tag's digest, else the version's name (GHCR names a version by its manifest digest).
    private static Digest digest(JsonNode version) {
        return Stream.of("container_metadata.tag.digest", "name", "version")
                .map(path -> Json.text(version, path).orElse(null))
                .filter(Digest::isDigest)
                .findFirst().map(Digest::parse).orElse(null);
    }
}
