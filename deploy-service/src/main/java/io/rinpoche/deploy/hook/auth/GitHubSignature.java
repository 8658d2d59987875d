package io.rinpoche.deploy.hook.auth;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * GitHub's webhook signature, {@code X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>}
 * (https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries).
 */
public final class GitHubSignature implements Authenticator {

    private static final String PREFIX = "sha256=";
    private final byte[] secret;

    public GitHubSignature(String secret) {
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void authenticate(Credentials credentials) {
        if (credentials.pathToken() != null) {
            throw new AuthenticationException("this source is signed; it takes no token in the path");
        }
        String header = credentials.header("x-hub-signature-256");
        if (header == null || !header.startsWith(PREFIX)) {
            throw new AuthenticationException("missing X-Hub-Signature-256 header");
        }
        String expected = PREFIX + HexFormat.of().formatHex(Secrets.hmacSha256(secret, credentials.body()));
        if (!Secrets.same(header.toLowerCase(java.util.Locale.ROOT), expected.getBytes(StandardCharsets.US_ASCII))) {
            throw new AuthenticationException("X-Hub-Signature-256 does not match");
        }
    }
}
