package io.rinpoche.deploy.bench;

import io.rinpoche.deploy.TestPayloads;
import java.time.Instant;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Distribution notification envelopes shaped exactly like the sample {@code payloads/distribution-push.json}
 * (two layer pushes and the tagged manifest push of one {@code docker push}), with another repository, tag,
 * manifest digest and event id.
 */
final class Envelopes {

    private final JsonNode sample = DeployService.JSON.readTree(TestPayloads.bytes("distribution-push.json"));

    /** The envelope of a push of {@code repository:tag} = {@code digest}; the manifest event's id is {@code eventId}. */
    byte[] push(String repository, String tag, String digest, String eventId) {
        JsonNode envelope = sample.deepCopy();
        String now = Instant.now().toString();
        int index = 0;
        for (JsonNode node : envelope.path("events")) {
            ObjectNode event = (ObjectNode) node;
            ObjectNode target = (ObjectNode) event.path("target");
            boolean manifest = target.has("tag");
            // Layer events keep the sample's blob digests: the service ignores them, as it must.
            event.put("id", manifest ? eventId : eventId + "-layer-" + index);
            event.put("timestamp", now);
            target.put("repository", repository);
            if (manifest) {
                target.put("tag", tag);
                target.put("digest", digest);
                target.put("url", "http://127.0.0.1:5000/v2/" + repository + "/manifests/" + digest);
            } else {
                target.put("url", target.path("url").asString().replace("/v2/hello-django/", "/v2/" + repository + "/"));
            }
            index++;
        }
        return DeployService.JSON.writeValueAsBytes(envelope);
    }
}
