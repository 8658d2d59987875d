package io.rinpoche.deploy.web;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import io.rinpoche.deploy.TestSigning;
import java.time.Instant;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/** Builds hook requests for the sources of the {@code hooks} test profile, authenticated as each expects. */
final class HookRequests {

    static final String HOOK_TOKEN = "test-hook-token-0123456789";
    static final String HUB_TOKEN = "hub-token-0123456789";
    static final String HARBOR_TOKEN = "harbor-token-0123456789";
    static final String ACR_TOKEN = "acr-token-0123456789";
    static final String QUAY_TOKEN = "quay-token-0123456789";
    static final String GITHUB_SECRET = "github-secret-0123456789";
    static final String GENERIC_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    private HookRequests() {
    }

    /** A request {@code source} accepts as authentic, for any body. */
    static MockHttpServletRequestBuilder authentic(String source, byte[] body) {
        return switch (source) {
            case "registry" -> bearer(source, HOOK_TOKEN, body)
                    .contentType("application/vnd.docker.distribution.events.v1+json");
            case "harbor" -> bearer(source, HARBOR_TOKEN, body);
            case "hub" -> pathToken(source, HUB_TOKEN, body);
            case "acr" -> pathToken(source, ACR_TOKEN, body);
            case "quay" -> pathToken(source, QUAY_TOKEN, body);
            case "github" -> post("/hooks/github").contentType("application/json").content(body)
                    .header("X-GitHub-Event", "registry_package")
                    .header("X-GitHub-Delivery", "72d3162e-cc78-11e3-81ab-4c9367dc0958")
                    .header("X-Hub-Signature-256", TestSigning.github(GITHUB_SECRET, body));
            case "generic" -> generic(body, Instant.now().getEpochSecond());
            default -> throw new IllegalArgumentException(source);
        };
    }

    static MockHttpServletRequestBuilder bearer(String source, String token, byte[] body) {
        return post("/hooks/" + source).contentType("application/json").header("Authorization", "Bearer " + token)
                .content(body);
    }

    static MockHttpServletRequestBuilder pathToken(String source, String token, byte[] body) {
        return post("/hooks/" + source + "/" + token).contentType("application/json").content(body);
    }

    static MockHttpServletRequestBuilder generic(byte[] body, long timestamp) {
        String id = "msg_" + timestamp;
        return post("/hooks/generic").contentType("application/json").content(body)
                .header("webhook-id", id)
                .header("webhook-timestamp", Long.toString(timestamp))
                .header("webhook-signature", TestSigning.standardWebhooks(GENERIC_SECRET, id, timestamp, body));
    }
}
