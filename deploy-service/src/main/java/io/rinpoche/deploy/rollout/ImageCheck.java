package io.rinpoche.deploy.rollout;

/**
 * How far an engine must trust the image a request names. A hook only says which tag moved, and whoever holds the
 * hook's secret could name any digest; a person or the state repository pins an exact image on purpose.
 */
public enum ImageCheck {

    /**
     * For hook deploys: the request's digest must be the one its tag points to at its registry now
     * ({@link RegistryTags}), and only an image from the registry runs - pulled, or on the host under that registry
     * digest - never a local image whose id merely equals the digest. A request without a digest is pulled by tag,
     * never taken from a local tag.
     */
    TAG_AT_REGISTRY,

    /**
     * For pins a person or the state chose (manual deploys, rollbacks, pins pushed to the state, reconciles): the
     * image as named; a digest may also be a local image's id (a locally built image has no registry digest).
     */
    AS_PINNED
}
