package io.rinpoche.deploy.hook.adapter;

import io.rinpoche.deploy.model.Digest;
import io.rinpoche.deploy.model.ImageRef;
import io.rinpoche.deploy.model.PushEvent;

/** Builds values from payload text, turning invalid names into {@link MalformedPayloadException}. */
final class Images {

    private Images() {
    }

    static PushEvent push(String registry, String repository, String tag, Digest digest, String source, String id) {
        try {
            return new PushEvent(ImageRef.of(registry, repository, tag, digest), source, id);
        } catch (IllegalArgumentException e) {
            throw new MalformedPayloadException(e.getMessage());
        }
    }

    static ImageRef parse(String reference) {
        try {
            return ImageRef.parse(reference);
        } catch (IllegalArgumentException e) {
            throw new MalformedPayloadException(e.getMessage());
        }
    }

    static Digest digest(String value) {
        try {
            return Digest.parse(value);
        } catch (IllegalArgumentException e) {
            throw new MalformedPayloadException(e.getMessage());
        }
    }
}
