package io.rinpoche.deploy.web.api;

import io.rinpoche.deploy.hook.auth.Secrets;
import java.nio.charset.StandardCharsets;

/** The API's admin token, validated once at start-up and compared in constant time. */
public final class AdminToken {

    private static final String BEARER = "bearer ";
    private final byte[] secret;

    private AdminToken(String secret) {
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
    }

    /** Refuses a missing, unresolved ({@code ${ADMIN_TOKEN}} left as is) or short token; the message never shows it. */
    public static AdminToken of(String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidAdminTokenException("missing: set ADMIN_TOKEN");
        }
        if (value.contains("${")) {
            throw new InvalidAdminTokenException("the unresolved placeholder " + value
                    + ": set that environment variable");
        }
        if (value.length() < Secrets.MIN_LENGTH) {
            throw new InvalidAdminTokenException("shorter than " + Secrets.MIN_LENGTH + " characters");
        }
        return new AdminToken(value);
    }

    /** True when {@code authorization} is {@code Bearer <token>} (the scheme in any case, RFC 7235). */
    public boolean admits(String authorization) {
        if (authorization == null || authorization.length() <= BEARER.length()
                || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return false;
        }
        return Secrets.same(authorization.substring(BEARER.length()).strip(), secret);
    }

    /** True when {@code candidate} is the token itself (the dashboard's sign-in form), in constant time. */
    public boolean matches(String candidate) {
        return candidate != null && Secrets.same(candidate, secret);
    }

    @Override
    public String toString() {
        return "AdminToken[******]";
    }
}
