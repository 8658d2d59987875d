package io.rinpoche.deploy.hook.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * A Standard Webhooks signature (https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md):
 * {@code webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">}, keyed with the base64
 * part of a {@code whsec_...} secret, and a {@code webhook-timestamp} inside a tolerance window
 * against replays.
 */
public final class StandardWebhookSignature implements Authenticator {

    private static final String PREFIX = "whsec_";
    private static final Pattern SECONDS = Pattern.compile("[0-9]{1,12}");
    private final byte[] key;
    private final Clock clock;
    private final Duration tolerance;

    public StandardWebhookSignature(byte[] key, Clock clock, Duration tolerance) {
        this.key = key.clone();
        this.clock = clock;
        this.tolerance = tolerance;
    }

    /**
     * The HMAC key of a {@code whsec_<base64>} secret (the prefix is optional, as in the reference
     * libraries). Throws {@link IllegalArgumentException} with a message that does not show the secret.
     */
    public static byte[] key(String secret) {
        String encoded = secret.startsWith(PREFIX) ? secret.substring(PREFIX.length()) : secret;
        try {
            return Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("secret is not of the form whsec_<base64>");
        }
    }

    @Override
    public void authenticate(Credentials credentials) {
        if (credentials.pathToken() != null) {
            throw new AuthenticationException("this source is signed; it takes no token in the path");
        }
        String id = required(credentials, "webhook-id");
        String timestamp = required(credentials, "webhook-timestamp");
        String signatures = required(credentials, "webhook-signature");
        checkFresh(timestamp);
        byte[] expected = Secrets.hmacSha256(key, (id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8),
                credentials.body());
        // The header may carry several space-delimited signatures (key rotation); one match is enough.
        for (String candidate : signatures.split(" ")) {
            if (matches(candidate, expected)) {
                return;
            }
        }
        throw new AuthenticationException("no webhook-signature matches");
    }

    private void checkFresh(String timestamp) {
        if (!SECONDS.matcher(timestamp).matches()) {
            throw new AuthenticationException("webhook-timestamp is not a Unix time in seconds");
        }
        long skew = Math.abs(clock.instant().getEpochSecond() - Long.parseLong(timestamp));
        if (skew > tolerance.toSeconds()) {
            throw new AuthenticationException("webhook-timestamp is outside the tolerance window of " + tolerance);
        }
    }

    private static boolean matches(String candidate, byte[] expected) {
        if (!candidate.startsWith("v1,")) {
            return false; // other schemes (e.g. v1a, asymmetric) are not configured here
        }
        try {
            return MessageDigest.isEqual(expected, Base64.getDecoder().decode(candidate.substring(3)));
        } catch (IllegalArgumentException notBase64) {
            return false;
        }
    }

    private static String required(Credentials credentials, String header) {
        String value = credentials.header(header);
        if (value == null || value.isBlank()) {
            throw new AuthenticationException("missing " + header + " header");
        }
        return value;
    }
}
