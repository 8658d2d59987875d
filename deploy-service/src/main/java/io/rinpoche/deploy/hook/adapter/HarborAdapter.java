package io.rinpoche.deploy.hook.adapter;

import io.rinpoche.deploy.model.Digest;
import io.rinpoche.deploy.model.PushEvent;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Harbor v2 webhooks (https://goharbor.io/docs/latest/working-with-projects/project-configuration/configure-webhooks/):
 * the default format {@code {"type":"PUSH_ARTIFACT","event_data":{"resources":[...],"repository":{...}}}}
 * and the CloudEvents format ({@code "type":"harbor.artifact.pushed"}, same content under {@code data}).
 * Other event types are ignored. A resource whose tag is its digest was pushed without a tag.
 */
public final class HarborAdapter implements HookAdapter {

    @Override
    public HookEvents events(JsonNode payload, HookContext context) {
        boolean cloudEvent = Json.has(payload, "specversion");
        String type = Json.requiredText(payload, "type");
        if (!type.equals(cloudEvent ? "harbor.artifact.pushed" : "PUSH_ARTIFACT")) {
            return HookEvents.ignored("Harbor event " + Json.shown(type) + ", not an artifact push");
        }
        JsonNode data = Json.object(payload, cloudEvent ? "data" : "event_data");
        String repository = Json.requiredText(data, "repository.repo_full_name");
        String id = cloudEvent ? Json.text(payload, "id").orElse(null) : null;
        List<PushEvent> pushes = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        int index = 0;
        for (JsonNode resource : Json.array(data, "resources")) {
            String tag = Json.text(resource, "tag").orElse("");
            if (tag.isEmpty() || Digest.isDigest(tag)) {
                ignored.add("resource " + index + ": pushed by digest, without a tag");
            } else {
                pushes.add(Images.push(host(resource), repository, tag,
                        Images.digest(Json.requiredText(resource, "digest")), context.source(),
                        EventIds.orFromBody(id == null ? null : id + (index == 0 ? "" : "-" + index),
                                context.body(), index)));
            }
            index++;
        }
        return new HookEvents(pushes, ignored);
    }

    // resource_url is "<harbor host>/<project>/<repo>:<tag>"; its host is what a client pulls from.
    private static String host(JsonNode resource) {
        return Json.text(resource, "resource_url").map(Images::parse).map(ref -> ref.registry()).orElse(null);
    }
}
