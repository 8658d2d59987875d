package io.rinpoche.deploy.hook.adapter;

import io.rinpoche.deploy.model.Texts;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/** Reads fields by dotted path; a missing or mistyped required field is a {@link MalformedPayloadException}. */
final class Json {

    private Json() {
    }

    /** The string at {@code path}, if there is a non-empty one. */
    static Optional<String> text(JsonNode node, String path) {
        JsonNode value = at(node, path);
        return value.isString() && !value.stringValue().isEmpty() ? Optional.of(value.stringValue()) : Optional.empty();
    }

    /** The non-empty string at {@code path}. */
    static String requiredText(JsonNode node, String path) {
        return text(node, path).orElseThrow(() -> new MalformedPayloadException("missing string field '" + path + "'"));
    }

    /** The object at {@code path}. */
    static JsonNode object(JsonNode node, String path) {
        JsonNode value = at(node, path);
        if (!value.isObject()) {
            throw new MalformedPayloadException("missing object field '" + path + "'");
        }
        return value;
    }

    /** The array at {@code path}. */
    static JsonNode array(JsonNode node, String path) {
        JsonNode value = at(node, path);
        if (!value.isArray()) {
            throw new MalformedPayloadException("missing array field '" + path + "'");
        }
        return value;
    }

    /** Whether {@code path} leads anywhere. */
    static boolean has(JsonNode node, String path) {
        return !at(node, path).isMissingNode();
    }

    /** For error messages: a value as the payload gave it, shortened. */
    static String shown(String value) {
        return "'" + Texts.abbreviate(value) + "'";
    }

    private static JsonNode at(JsonNode node, String path) {
        JsonNode current = node;
        for (String name : path.split("\\.")) {
            current = current.path(name);
        }
        return current;
    }
}
