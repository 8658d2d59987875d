package io.rinpoche.deploy.hook.auth;

import java.util.Map;
import java.util.Objects;

/**
 * What a request presents to prove itself: its headers (lower-case names), the token from its path
 * ({@code null} for {@code POST /hooks/{source}}) and the raw body, which signatures cover.
 */
public record Credentials(Map<String, String> headers, String pathToken, byte[] body) {

    public Credentials {
        headers = Map.copyOf(Objects.requireNonNull(headers, "headers"));
        Objects.requireNonNull(body, "body");
    }

    /** The header's value, or null; {@code name} is lower case. */
    public String header(String name) {
        return headers.get(name);
    }
}
