package io.rinpoche.deploy.hook.auth;

import java.nio.charset.StandardCharsets;

/**
 * {@code Authorization: Bearer <token>}: what CNCF distribution sends when its endpoint config has
 * {@code headers: {Authorization: [Bearer <token>]}} (https://distribution.github.io/distribution/about/notifications/),
 * and what Harbor sends as its "Auth Header".
 */
public final class BearerToken implements Authenticator {

    private static final String SCHEME = "Bearer ";
    private final byte[] secret;

    public BearerToken(String secret) {
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void authenticate(Credentials credentials) {
        if (credentials.pathToken() != null) {
            // A token in a URL ends up in proxy logs; a source that can send headers must not need that.
            throw new AuthenticationException("this source takes its token in the Authorization header, not in the path");
        }
        String header = credentials.header("authorization");
        if (header == null) {
            throw new AuthenticationException("missing Authorization header");
        }
        if (!header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            throw new AuthenticationException("Authorization header is not a bearer token");
        }
        if (!Secrets.same(header.substring(SCHEME.length()).trim(), secret)) {
            throw new AuthenticationException("wrong bearer token");
        }
    }
}
