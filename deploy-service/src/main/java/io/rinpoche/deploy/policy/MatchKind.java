package io.rinpoche.deploy.policy;

/** How a rule's {@code tag} pattern is read. */
public enum MatchKind {
    /** {@code develop-*}: {@code *} any run of characters except '/', {@code ?} one character. */
    GLOB,
    /** A Java regular expression that must match the whole tag. */
    REGEX,
    /** A semver range ({@code >=1.0.0 <2.0.0}, {@code ^1.2}, {@code ~1.2.3}, {@code *}); the tag must be a version. */
    SEMVER
}
