package io.rinpoche.deploy.model;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An image reference {@code [registry/]repository[:tag][@digest]}, e.g.
 * {@code 127.0.0.1:5000/hello-django:develop-abc123}. A null registry means Docker Hub.
 * At least a tag or a digest is required: an image is never implicitly {@code latest}.
 */
public record ImageRef(String registry, String repository, String tag, Digest digest) {

    // Grammar of github.com/distribution/reference (regexp.go), restricted to sha256 digests.
    private static final String ALNUM = "[a-z0-9]+";
    private static final String SEPARATOR = "(?:[._]|__|-+)";
    private static final String PATH_COMPONENT = ALNUM + "(?:" + SEPARATOR + ALNUM + ")*";
    private static final Pattern PATH = Pattern.compile(PATH_COMPONENT + "(?:/" + PATH_COMPONENT + ")*");
    private static final String DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private static final Pattern REGISTRY = Pattern.compile(
            "(?:" + DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*|\\[[a-fA-F0-9:]+\\])(?::[0-9]{1,5})?");
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
    private static final int MAX_NAME = 255;

    public ImageRef {
        Objects.requireNonNull(repository, "repository");
        // Before any pattern: the path pattern recurses per character and overflows the stack on a name of a few KB.
        if (nameOf(registry, repository).length() > MAX_NAME) {
            throw new IllegalArgumentException("image name longer than " + MAX_NAME + " characters: '"
                    + Texts.abbreviate(nameOf(registry, repository)) + "'");
        }
        if (registry != null && !REGISTRY.matcher(registry).matches()) {
            throw new IllegalArgumentException("not a registry host: '" + Texts.abbreviate(registry) + "'");
        }
        if (!PATH.matcher(repository).matches()) {
            throw new IllegalArgumentException("not a repository name: '" + Texts.abbreviate(repository) + "'");
        }
        if (tag != null && !TAG.matcher(tag).matches()) {
            throw new IllegalArgumentException("not a tag: '" + Texts.abbreviate(tag) + "'");
        }
        if (tag == null && digest == null) {
            throw new IllegalArgumentException("image '" + repository + "' has neither tag nor digest");
        }
    }

    /** Builds a reference from its parts; the same rules as {@link #parse(String)}. */
    public static ImageRef of(String registry, String repository, String tag, Digest digest) {
        return new ImageRef(registry, repository, tag, digest);
    }

    /** Parses {@code [registry/]repository[:tag][@sha256:...]}. */
    public static ImageRef parse(String reference) {
        Objects.requireNonNull(reference, "reference");
        String rest = reference;
        Digest digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = Digest.parse(rest.substring(at + 1));
            rest = rest.substring(0, at);
        }
        String tag = null;
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
        }
        String registry = null;
        int slash = rest.indexOf('/');
        if (slash > 0 && isRegistry(rest.substring(0, slash))) {
            registry = rest.substring(0, slash);
            rest = rest.substring(slash + 1);
        }
        return new ImageRef(registry, rest, tag, digest);
    }

    // Docker's rule (splitDockerDomain): the first component is a host when it has a dot,
    // a port, is "localhost", or has upper case, which a repository path never has.
    private static boolean isRegistry(String first) {
        return first.contains(".") || first.contains(":") || first.equals("localhost")
                || !first.equals(first.toLowerCase(java.util.Locale.ROOT));
    }

    /** The same image at another registry host (null for Docker Hub). */
    public ImageRef withRegistry(String newRegistry) {
        return new ImageRef(newRegistry, repository, tag, digest);
    }

    /** The same image pinned to a digest. */
    public ImageRef withDigest(Digest newDigest) {
        return new ImageRef(registry, repository, tag, newDigest);
    }

    /** {@code registry/repository}, or just the repository for Docker Hub. */
    public String name() {
        return nameOf(registry, repository);
    }

    /** What an engine should pull: by digest when known, so a moved tag cannot change what runs. */
    public String pinned() {
        return digest != null ? name() + "@" + digest : name() + ":" + tag;
    }

    @Override
    public String toString() {
        return name() + (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
    }

    private static String nameOf(String registry, String repository) {
        return registry == null ? repository : registry + "/" + repository;
    }
}
