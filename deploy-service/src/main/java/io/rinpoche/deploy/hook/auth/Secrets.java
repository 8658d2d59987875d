package io.rinpoche.deploy.hook.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Constant-time comparison and HMAC, shared by the authenticators. */
public final class Secrets {

    /** Shorter secrets are refused at start-up: they can be guessed. */
    public static final int MIN_LENGTH = 16;

    private Secrets() {
    }

    /**
     * Compares in constant time. Both sides are hashed first so that even the length of the secret
     * does not show in the timing (MessageDigest.isEqual returns early on a length mismatch).
     */
    public static boolean same(byte[] presented, byte[] expected) {
        return MessageDigest.isEqual(sha256(presented), sha256(expected));
    }

    /** {@link #same(byte[], byte[])} for a presented text token. */
    public static boolean same(String presented, byte[] expected) {
        return presented != null && same(presented.getBytes(StandardCharsets.UTF_8), expected);
    }

    /** HMAC-SHA256 over the concatenation of {@code parts}. */
    public static byte[] hmacSha256(byte[] key, byte[]... parts) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            for (byte[] part : parts) {
                mac.update(part);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JRE", e);
        }
    }

    /** SHA-256 of {@code data}. */
    public static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from this JRE", e);
        }
    }
}
