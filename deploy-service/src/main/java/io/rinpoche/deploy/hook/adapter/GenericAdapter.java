package io.rinpoche.deploy.hook.adapter;

import io.rinpoche.deploy.model.Digest;
import io.rinpoche.deploy.model.ImageRef;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * For anything that can run a script, e.g. a CI job: {@code {"image":"repo:tag","digest":"sha256:..."}},
 * signed like Standard Webhooks; {@code webhook-id} becomes the event id.
 */
public final class GenericAdapter implements HookAdapter {

    @Override
    public HookEvents events(JsonNode payload, HookContext context) {
        ImageRef image = Images.parse(Json.requiredText(payload, "image"));
        if (image.tag() == null) {
            throw new MalformedPayloadException("image needs a tag: " + Json.shown(image.toString()));
        }
        Digest digest = Json.text(payload, "digest").map(Images::digest).orElse(image.digest());
        if (image.digest() != null && !image.digest().equals(digest)) {
            throw new MalformedPayloadException("'image' and 'digest' name different digests");
        }
        String id = EventIds.orFromBody(context.header("webhook-id"), context.body(), 0);
        return new HookEvents(List.of(Images.push(image.registry(), image.repository(), image.tag(), digest,
                context.source(), id)), List.of());
    }
}
