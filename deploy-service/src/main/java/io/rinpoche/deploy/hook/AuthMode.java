package io.rinpoche.deploy.hook;

/** How a source proves a request is its own. */
public enum AuthMode {
    /** {@code Authorization: Bearer <secret>}. */
    BEARER,
    /** {@code POST /hooks/{source}/{secret}}, for registries that cannot send headers. */
    PATH_TOKEN,
    /** A signature of the body keyed with the secret, in the form the source's type documents. */
    HMAC
}
