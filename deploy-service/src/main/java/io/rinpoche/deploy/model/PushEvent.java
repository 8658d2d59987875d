package io.rinpoche.deploy.model;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A registry said: this tag of this repository now points at this digest (when it said which).
 * {@code source} is the configured hook source it came through; {@code eventId} identifies the
 * delivery so a redelivered event can be recognised.
 */
public record PushEvent(ImageRef image, String source, String eventId) {

    private static final Pattern EVENT_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    public PushEvent {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(eventId, "eventId");
        if (image.tag() == null) {
            throw new IllegalArgumentException("a push event needs a tag: " + image);
        }
        if (!EVENT_ID.matcher(eventId).matches()) {
            throw new IllegalArgumentException("not an event id: '" + Texts.abbreviate(eventId) + "'");
        }
    }

    /** True when {@code id} is usable as an event id as it is. */
    public static boolean isEventId(String id) {
        return id != null && EVENT_ID.matcher(id).matches();
    }

    /** The repository path without the registry host, e.g. {@code hello-django}: what rules match. */
    public String repository() {
        return image.repository();
    }

    /** The pushed tag. */
    public String tag() {
        return image.tag();
    }

    /** The manifest digest, when the registry's payload carries one (Docker Hub's and Quay's do not). */
    public Optional<Digest> digest() {
        return Optional.ofNullable(image.digest());
    }

    /** The same event as seen from another registry host, e.g. the one the Docker engine pulls from. */
    public PushEvent withRegistry(String registry) {
        return new PushEvent(image.withRegistry(registry), source, eventId);
    }
}
