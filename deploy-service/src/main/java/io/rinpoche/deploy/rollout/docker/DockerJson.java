package io.rinpoche.deploy.rollout.docker;

import io.rinpoche.deploy.rollout.RolloutException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The engine's raw JSON answers as both engines' API clients read them. */
public final class DockerJson {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private DockerJson() {
    }

    /**
     * The answer to {@code path}; a status of 300 or more is a {@link RolloutException} saying what the engine
     * explained in its {@code {"message": ...}}.
     */
    public static JsonNode read(String path, int status, byte[] body) {
        if (status >= 300) {
            String text = new String(body, StandardCharsets.UTF_8);
            String message = text.startsWith("{") ? JSON.readTree(text).path("message").asString() : text;
            throw new RolloutException("Docker engine refused " + path.replaceFirst("\\?.*", "") + " (" + status + "): "
                    + message.strip());
        }
        return JSON.readTree(body);
    }

    /** A value for a path or query parameter. */
    public static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
