package io.rinpoche.deploy.hook.adapter;

import io.rinpoche.deploy.model.Digest;
import io.rinpoche.deploy.model.PushEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * CNCF distribution notifications (https://distribution.github.io/distribution/about/notifications/):
 * an envelope {@code {"events":[...]}} sent as {@code application/vnd.docker.distribution.events.v1+json}
 * (registry 2.x) or {@code ...v2+json} (3.x). Only {@code action: push} of a manifest that has a
 * {@code target.tag} is a deployable push; layer pushes, pulls, deletes and pushes by digest are ignored.
 */
public final class DistributionAdapter implements HookAdapter {

    @Override
    public HookEvents events(JsonNode payload, HookContext context) {
        JsonNode events = Json.array(payload, "events");
        List<PushEvent> pushes = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        int index = 0;
        for (JsonNode event : events) {
            // The docs ask endpoints to be accepting: a rejected envelope is retried and backs up the
            // registry's queue. So an event we cannot use is ignored with its reason, not a 400.
            Optional<String> skip = reasonToSkip(event);
            if (skip.isPresent()) {
                ignored.add("event " + index + ": " + skip.get());
            } else {
                try {
                    pushes.add(push(event, context, index));
                } catch (MalformedPayloadException e) {
                    ignored.add("event " + index + ": " + e.getMessage());
                }
            }
            index++;
        }
        if (index == 0) {
            ignored.add("the envelope holds no events");
        }
        return new HookEvents(pushes, ignored);
    }

    private static Optional<String> reasonToSkip(JsonNode event) {
        if (!event.isObject()) {
            return Optional.of("not an event object");
        }
        String action = Json.text(event, "action").orElse("");
        if (!action.equals("push")) {
            return Optional.of("action " + Json.shown(action) + ", not a push");
        }
        String mediaType = Json.text(event, "target.mediaType").orElse("");
        if (!isManifest(mediaType)) {
            return Optional.of("push of " + Json.shown(mediaType) + ", not a manifest");
        }
        if (Json.text(event, "target.tag").isEmpty()) {
            return Optional.of("manifest pushed by digest, without a tag");
        }
        return Optional.empty();
    }

    // Docker v2 manifests and lists, OCI manifests and indexes all name themselves so.
    private static boolean isManifest(String mediaType) {
        return mediaType.contains("manifest") || mediaType.equals("application/vnd.oci.image.index.v1+json");
    }

    private static PushEvent push(JsonNode event, HookContext context, int index) {
        Digest digest = Images.digest(Json.requiredText(event, "target.digest"));
        String id = EventIds.orFromBody(Json.text(event, "id").orElse(null), context.body(), index);
        return Images.push(host(event), Json.requiredText(event, "target.repository"),
                Json.requiredText(event, "target.tag"), digest, context.source(), id);
    }

    // request.host is the Host header the pusher used. It may be a name only the pusher resolves,
    // which is why a source can override the registry host in its configuration.
    private static String host(JsonNode event) {
        return Json.text(event, "request.host").orElse(null);
    }
}
