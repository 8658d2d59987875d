package io.rinpoche.deploy.rollout;

import io.rinpoche.deploy.model.Digest;
import java.util.Objects;

/**
 * An image as it runs: the reference a container was created from (as Docker reports it, so it may be
 * a bare tag) and its digest - the manifest digest when the image came from a registry, else the local
 * image id (also a sha256, of the image's configuration).
 */
public record ImageVersion(String reference, Digest digest) {

    public ImageVersion {
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(digest, "digest");
    }

    @Override
    public String toString() {
        return reference + " (" + digest.value().substring(0, "sha256:".length() + 12) + ")";
    }
}
