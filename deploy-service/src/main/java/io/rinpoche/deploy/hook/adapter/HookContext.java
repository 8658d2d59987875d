package io.rinpoche.deploy.hook.adapter;

import java.util.Map;
import java.util.Objects;

/** What an adapter may use besides the JSON: the source's name, the headers (lower-case names), the raw body. */
public record HookContext(String source, Map<String, String> headers, byte[] body) {

    public HookContext {
        Objects.requireNonNull(source, "source");
        headers = Map.copyOf(Objects.requireNonNull(headers, "headers"));
        Objects.requireNonNull(body, "body");
    }

    /** The header's value, or null; {@code name} is lower case. */
    public String header(String name) {
        return headers.get(name);
    }
}
