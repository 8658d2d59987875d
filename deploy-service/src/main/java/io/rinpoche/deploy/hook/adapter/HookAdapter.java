package io.rinpoche.deploy.hook.adapter;

import tools.jackson.databind.JsonNode;

/**
 * Turns one registry's webhook payload, shaped exactly as that registry documents it, into
 * push events. Throws {@link MalformedPayloadException} when the JSON is not that shape.
 */
public interface HookAdapter {

    /** The pushes in {@code payload}, already parsed as JSON. */
    HookEvents events(JsonNode payload, HookContext context);
}
