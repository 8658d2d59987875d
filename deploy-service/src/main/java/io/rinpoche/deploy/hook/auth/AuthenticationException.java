package io.rinpoche.deploy.hook.auth;

/** A request did not prove it comes from the source it names. The message never holds a secret. */
public class AuthenticationException extends RuntimeException {

    public AuthenticationException(String message) {
        super(message);
    }
}
