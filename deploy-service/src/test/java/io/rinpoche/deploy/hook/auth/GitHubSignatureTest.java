package io.rinpoche.deploy.hook.auth;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** GitHub's X-Hub-Signature-256, checked against the example in GitHub's documentation. */
class GitHubSignatureTest {

    // From https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries#testing-the-webhook-payload-validation
    private static final String SECRET = "It's a Secret to Everybody";
    private static final byte[] BODY = "Hello, World!".getBytes(StandardCharsets.UTF_8);
    private static final String SIGNATURE = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

    @Test
    void acceptsGitHubsDocumentedExample() {
        assertThatCode(() -> new GitHubSignature(SECRET).authenticate(
                new Credentials(Map.of("x-hub-signature-256", SIGNATURE), null, BODY))).doesNotThrowAnyException();
    }

    @Test
    void refusesAnotherBodyOrAMissingHeader() {
        GitHubSignature github = new GitHubSignature(SECRET);

        assertThatThrownBy(() -> github.authenticate(new Credentials(Map.of("x-hub-signature-256", SIGNATURE), null,
                "Hello, World?".getBytes(StandardCharsets.UTF_8)))).isInstanceOf(AuthenticationException.class);
        assertThatThrownBy(() -> github.authenticate(new Credentials(Map.of(), null, BODY)))
                .isInstanceOf(AuthenticationException.class).hasMessageContaining("missing");
    }
}
