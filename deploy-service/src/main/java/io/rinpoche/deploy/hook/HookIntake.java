package io.rinpoche.deploy.hook;

import io.rinpoche.deploy.hook.HookRejection.Reason;
import io.rinpoche.deploy.hook.adapter.HookContext;
import io.rinpoche.deploy.hook.adapter.HookEvents;
import io.rinpoche.deploy.hook.adapter.MalformedPayloadException;
import io.rinpoche.deploy.hook.auth.AuthenticationException;
import io.rinpoche.deploy.hook.auth.Credentials;
import io.rinpoche.deploy.model.Texts;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns one request into push events, or refuses it: unknown source, body too large, not
 * authenticated, not the documented JSON. Checks run in that order, so nothing is parsed before it
 * is known to be small and authentic.
 */
public final class HookIntake {

    // Its own strict mapper: trailing garbage and duplicate keys are malformed, whatever the app's JSON settings.
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private final HookSources sources;

    public HookIntake(HookSources sources) {
        this.sources = sources;
    }

    /**
     * Receives one request for {@code sourceName}.
     *
     * @param pathToken      the token from {@code /hooks/{source}/{token}}, or null
     * @param headers        the request headers, names in lower case
     * @param declaredLength the Content-Length, or -1 when not sent
     */
    public HookEvents receive(String sourceName, String pathToken, Map<String, String> headers, long declaredLength,
                              InputStream body) {
        HookSource source = sources.find(sourceName).orElseThrow(() ->
                new HookRejection(Reason.UNKNOWN_SOURCE, null, "no hook source is configured under this name"));
        byte[] bytes = read(source, declaredLength, body);
        try {
            source.authenticator().authenticate(new Credentials(headers, pathToken, bytes));
        } catch (AuthenticationException e) {
            throw new HookRejection(Reason.UNAUTHORIZED, source.name(), e.getMessage());
        }
        HookEvents events = parse(source, headers, bytes);
        return source.restrict(events);
    }

    private byte[] read(HookSource source, long declaredLength, InputStream body) {
        long limit = sources.maxBodyBytes();
        if (declaredLength > limit) {
            throw tooLarge(source, limit);
        }
        try {
            byte[] bytes = BoundedBody.read(body, limit);
            if (bytes == null) {
                throw tooLarge(source, limit);
            }
            return bytes;
        } catch (IOException e) {
            throw new HookRejection(Reason.MALFORMED, source.name(), "the body could not be read: " + e.getMessage());
        }
    }

    private static HookRejection tooLarge(HookSource source, long limit) {
        return new HookRejection(Reason.TOO_LARGE, source.name(), "the body is larger than " + limit + " bytes");
    }

    private static HookEvents parse(HookSource source, Map<String, String> headers, byte[] bytes) {
        JsonNode json;
        try {
            json = JSON.readTree(bytes);
        } catch (JacksonException e) {
            throw new HookRejection(Reason.MALFORMED, source.name(), "the body is not JSON: " + Texts.abbreviate(e.getOriginalMessage()));
        }
        if (json == null || !json.isObject()) {
            throw new HookRejection(Reason.MALFORMED, source.name(), "the body is not a JSON object");
        }
        try {
            return source.type().adapter().events(json, new HookContext(source.name(), headers, bytes));
        } catch (MalformedPayloadException e) {
            throw new HookRejection(Reason.MALFORMED, source.name(),
                    "not a " + source.type() + " payload: " + e.getMessage());
        }
    }
}
