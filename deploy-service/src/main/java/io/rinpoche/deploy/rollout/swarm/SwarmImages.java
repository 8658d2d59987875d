package io.rinpoche.deploy.rollout.swarm;

import io.rinpoche.deploy.model.Digest;
import io.rinpoche.deploy.model.ImageRef;
import java.util.Optional;

/** Image references as a service spec holds them: {@code name:tag@sha256:...}. */
final class SwarmImages {

    private SwarmImages() {
    }

    /** What a service runs: the tag stays readable as the version, the digest decides what the nodes pull. */
    static String pinned(ImageRef ref, Digest digest) {
        return ref.withDigest(digest).toString();
    }

    /** The reference without its digest, as reports show the version ({@code name:tag}); as it is without a tag. */
    static String reference(String image) {
        ImageRef ref = ImageRef.parse(image);
        return ref.tag() == null ? image : ref.withDigest(null).toString();
    }

    /** The digest a spec's image is pinned to, if any. */
    static Optional<Digest> digest(String image) {
        int at = image.indexOf('@');
        return at > 0 && Digest.isDigest(image.substring(at + 1)) ? Optional.of(Digest.parse(image.substring(at + 1)))
                : Optional.empty();
    }
}
