package io.rinpoche.deploy.hook.auth;

import java.nio.charset.StandardCharsets;

/**
 * A token in the URL, {@code POST /hooks/{source}/{token}}, for registries whose webhooks are only a
 * URL: Docker Hub, Aliyun ACR and Quay send no configurable header and sign nothing.
 */
public final class PathToken implements Authenticator {

    private final byte[] secret;

    public PathToken(String secret) {
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void authenticate(Credentials credentials) {
        if (credentials.pathToken() == null) {
            throw new AuthenticationException("missing token: this source is called as POST /hooks/{source}/{token}");
        }
        if (!Secrets.same(credentials.pathToken(), secret)) {
            throw new AuthenticationException("wrong token");
        }
    }
}
