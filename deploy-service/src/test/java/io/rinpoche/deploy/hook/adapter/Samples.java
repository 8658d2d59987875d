package io.rinpoche.deploy.hook.adapter;

import io.rinpoche.deploy.TestPayloads;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Runs an adapter on a sample payload or on inline JSON. */
final class Samples {

    static final String SOURCE = "src";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Samples() {
    }

    static HookEvents run(HookAdapter adapter, String sample) {
        return run(adapter, TestPayloads.bytes(sample), Map.of());
    }

    static HookEvents runJson(HookAdapter adapter, String json) {
        return run(adapter, json.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    static HookEvents run(HookAdapter adapter, byte[] body, Map<String, String> headers) {
        JsonNode payload = JSON.readTree(body);
        return adapter.events(payload, new HookContext(SOURCE, headers, body));
    }
}
