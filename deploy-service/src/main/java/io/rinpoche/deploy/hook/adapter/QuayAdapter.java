package io.rinpoche.deploy.hook.adapter;

import io.rinpoche.deploy.model.ImageRef;
import io.rinpoche.deploy.model.PushEvent;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Quay "Repository Push" notifications
 * (https://docs.redhat.com/en/documentation/red_hat_quay/3/html/use_red_hat_quay/repository-events):
 * {@code docker_url} and {@code updated_tags}, one push per tag, no digest. Older Quay sent
 * {@code updated_tags} as an object keyed by tag; both shapes are read. Build notifications sent to
 * the same URL (they carry {@code build_id}) are ignored.
 */
public final class QuayAdapter implements HookAdapter {

    @Override
    public HookEvents events(JsonNode payload, HookContext context) {
        if (!Json.has(payload, "updated_tags")) {
            if (Json.has(payload, "build_id")) {
                return HookEvents.ignored("Quay build notification, not a repository push");
            }
            throw new MalformedPayloadException("missing field 'updated_tags'");
        }
        String dockerUrl = Json.requiredText(payload, "docker_url");
        List<PushEvent> pushes = new ArrayList<>();
        int index = 0;
        for (String tag : tags(payload.path("updated_tags"))) {
            ImageRef image = Images.parse(dockerUrl + ":" + tag);
            pushes.add(Images.push(image.registry(), image.repository(), image.tag(), null, context.source(),
                    EventIds.fromBody(context.body(), index++)));
        }
        return pushes.isEmpty() ? HookEvents.ignored("no updated tags") : new HookEvents(pushes, List.of());
    }

    private static List<String> tags(JsonNode updated) {
        List<String> tags = new ArrayList<>();
        if (updated.isArray()) {
            for (JsonNode tag : updated) {
                if (!tag.isString()) {
                    throw new MalformedPayloadException("updated_tags holds a non-string");
                }
                tags.add(tag.stringValue());
            }
        } else if (updated.isObject()) {
            tags.addAll(updated.propertyNames());
        } else {
            throw new MalformedPayloadException("updated_tags is neither an array nor an object");
        }
        return tags;
    }
}
