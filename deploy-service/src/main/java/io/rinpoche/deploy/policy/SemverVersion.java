package io.rinpoche.deploy.policy;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A semantic version {@code MAJOR.MINOR.PATCH[-prerelease]} ordered by SemVer 2.0.0 precedence
 * (https://semver.org/#spec-item-11). A leading {@code v} is allowed, as in the tag {@code v1.2.3}.
 * Build metadata is not: a Docker tag cannot hold '+'.
 */
record SemverVersion(int major, int minor, int patch, List<String> prerelease) implements Comparable<SemverVersion> {

    private static final String NUMBER = "(0|[1-9][0-9]{0,8})";
    private static final String IDENTIFIER = "(?:0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*)";
    private static final Pattern VERSION = Pattern.compile(
            "v?" + NUMBER + "\\." + NUMBER + "\\." + NUMBER + "(?:-(" + IDENTIFIER + "(?:\\." + IDENTIFIER + ")*))?");

    SemverVersion {
        prerelease = List.copyOf(prerelease);
    }

    /** The version a tag names, if it names one. */
    static Optional<SemverVersion> parse(String text) {
        Matcher m = VERSION.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        List<String> pre = m.group(4) == null ? List.of() : Arrays.asList(m.group(4).split("\\."));
        return Optional.of(new SemverVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                Integer.parseInt(m.group(3)), pre));
    }

    static SemverVersion of(int major, int minor, int patch) {
        return new SemverVersion(major, minor, patch, List.of());
    }

    boolean isPrerelease() {
        return !prerelease.isEmpty();
    }

    boolean sameCore(SemverVersion other) {
        return major == other.major && minor == other.minor && patch == other.patch;
    }

    @Override
    public int compareTo(SemverVersion other) {
        int core = Integer.compare(major, other.major);
        core = core != 0 ? core : Integer.compare(minor, other.minor);
        core = core != 0 ? core : Integer.compare(patch, other.patch);
        return core != 0 ? core : comparePrerelease(prerelease, other.prerelease);
    }

    // A release ranks above its pre-releases; identifiers compare numerically when numeric, numbers
    // rank below text, and a shorter list of otherwise equal identifiers ranks first.
    private static int comparePrerelease(List<String> a, List<String> b) {
        if (a.isEmpty() || b.isEmpty()) {
            return Boolean.compare(a.isEmpty(), b.isEmpty());
        }
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = compareIdentifier(a.get(i), b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    private static int compareIdentifier(String a, String b) {
        boolean an = a.chars().allMatch(Character::isDigit);
        boolean bn = b.chars().allMatch(Character::isDigit);
        if (an && bn) {
            // No leading zeros (the pattern forbids them), so longer means larger; no overflow possible.
            return a.length() != b.length() ? Integer.compare(a.length(), b.length()) : a.compareTo(b);
        }
        return an != bn ? (an ? -1 : 1) : a.compareTo(b);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch + (prerelease.isEmpty() ? "" : "-" + String.join(".", prerelease));
    }
}
