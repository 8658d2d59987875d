package io.rinpoche.deploy.policy;

import java.util.regex.Pattern;

/** Decides whether a tag matches a rule's pattern. */
@FunctionalInterface
interface TagMatcher {

    boolean matches(String tag);

    /** Compiles {@code pattern} as {@code kind} says; an {@link IllegalArgumentException} says why it cannot. */
    static TagMatcher compile(MatchKind kind, String pattern) {
        return switch (kind) {
            case GLOB -> Glob.compile(pattern)::matches;
            case REGEX -> {
                Pattern regex = Pattern.compile(pattern);
                yield tag -> regex.matcher(tag).matches();
            }
            case SEMVER -> {
                SemverRange range = SemverRange.parse(pattern);
                yield tag -> SemverVersion.parse(tag).map(range::matches).orElse(false);
            }
        };
    }
}
