package io.rinpoche.deploy.hook.auth;

/** Checks one source's credentials; throws {@link AuthenticationException} when they do not hold. */
public interface Authenticator {

    /** Returns normally when the request proved itself. */
    void authenticate(Credentials credentials);
}
