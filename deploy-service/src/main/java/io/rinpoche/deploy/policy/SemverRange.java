package io.rinpoche.deploy.policy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A version range in the npm/node-semver notation (https://github.com/npm/node-semver#ranges):
 * space-separated comparators all of which must hold ({@code >=1.0.0 <2.0.0}), alternatives joined by
 * {@code ||}, X-ranges ({@code 1.2.x}, {@code *}), caret ({@code ^1.2}) and tilde ({@code ~1.2.3}).
 * As in npm, a pre-release only matches a range that names a pre-release of the same
 * {@code major.minor.patch}: {@code ^1.2} does not deploy {@code 1.3.0-rc.1}.
 */
final class SemverRange {

    private static final String PART = "(0|[1-9][0-9]{0,8}|[xX*])";
    private static final Pattern PARTIAL = Pattern.compile(
            "v?" + PART + "(?:\\." + PART + "(?:\\." + PART + "(?:-([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?)?)?");
    private static final List<String> OPERATORS = List.of(">=", "<=", ">", "<", "=", "^", "~");

    private final String text;
    private final List<List<Comparator>> alternatives;

    private SemverRange(String text, List<List<Comparator>> alternatives) {
        this.text = text;
        this.alternatives = alternatives;
    }

    /** Parses a range; an {@link IllegalArgumentException} says what is wrong with it. */
    static SemverRange parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty semver range");
        }
        String normalized = text.trim().replaceAll("(>=|<=|>|<|=|\\^|~)\\s+", "$1");
        List<List<Comparator>> alternatives = new ArrayList<>();
        for (String alternative : normalized.split("\\|\\|", -1)) {
            if (alternative.isBlank()) {
                throw new IllegalArgumentException("empty alternative around '||' in '" + text + "'");
            }
            List<Comparator> all = new ArrayList<>();
            for (String token : alternative.trim().split("\\s+")) {
                all.addAll(comparators(token));
            }
            alternatives.add(List.copyOf(all));
        }
        return new SemverRange(text, List.copyOf(alternatives));
    }

    /** Whether {@code version} is in the range. */
    boolean matches(SemverVersion version) {
        return alternatives.stream().anyMatch(all -> satisfies(all, version));
    }

    private static boolean satisfies(List<Comparator> all, SemverVersion version) {
        if (!all.stream().allMatch(c -> c.test(version))) {
            return false;
        }
        return !version.isPrerelease()
                || all.stream().anyMatch(c -> c.version().isPrerelease() && c.version().sameCore(version));
    }

    private static List<Comparator> comparators(String token) {
        if (token.equals("-")) {
            throw new IllegalArgumentException("hyphen ranges are not supported: write '>=a <=b'");
        }
        String op = OPERATORS.stream().filter(token::startsWith).findFirst().orElse("");
        Partial p = Partial.parse(token.substring(op.length()));
        return switch (op) {
            case ">" -> greater(p);
            case ">=" -> p.major == null ? List.of() : List.of(new Comparator(Op.GE, p.floor()));
            case "<" -> less(p);
            case "<=" -> atMost(p);
            case "~" -> tilde(p);
            case "^" -> caret(p);
            default -> exact(p);
        };
    }

    private static List<Comparator> exact(Partial p) {
        if (p.major == null) {
            return List.of();
        }
        if (p.patch != null) {
            return List.of(new Comparator(Op.EQ, p.floor()));
        }
        return List.of(new Comparator(Op.GE, p.floor()), new Comparator(Op.LT, p.next()));
    }

    private static List<Comparator> greater(Partial p) {
        if (p.major == null) {
            throw new IllegalArgumentException("'>*' matches no version");
        }
        return List.of(p.patch != null ? new Comparator(Op.GT, p.floor()) : new Comparator(Op.GE, p.next()));
    }

    private static List<Comparator> less(Partial p) {
        if (p.major == null) {
            throw new IllegalArgumentException("'<*' matches no version");
        }
        return List.of(new Comparator(Op.LT, p.floor()));
    }

    private static List<Comparator> atMost(Partial p) {
        if (p.major == null) {
            return List.of();
        }
        return List.of(p.patch != null ? new Comparator(Op.LE, p.floor()) : new Comparator(Op.LT, p.next()));
    }

    // ~1.2.3 := >=1.2.3 <1.3.0, ~1.2 := >=1.2.0 <1.3.0, ~1 := >=1.0.0 <2.0.0
    private static List<Comparator> tilde(Partial p) {
        if (p.major == null) {
            return List.of();
        }
        SemverVersion upper = p.minor == null ? SemverVersion.of(p.major + 1, 0, 0) : SemverVersion.of(p.major, p.minor + 1, 0);
        return List.of(new Comparator(Op.GE, p.floor()), new Comparator(Op.LT, upper));
    }

    // ^ allows changes that keep the left-most non-zero part: ^1.2.3 <2.0.0, ^0.2.3 <0.3.0, ^0.0.3 <0.0.4
    private static List<Comparator> caret(Partial p) {
        if (p.major == null) {
            return List.of();
        }
        SemverVersion upper;
        if (p.major > 0 || p.minor == null) {
            upper = SemverVersion.of(p.major + 1, 0, 0);
        } else if (p.minor > 0 || p.patch == null) {
            upper = SemverVersion.of(0, p.minor + 1, 0);
        } else {
            upper = SemverVersion.of(0, 0, p.patch + 1);
        }
        return List.of(new Comparator(Op.GE, p.floor()), new Comparator(Op.LT, upper));
    }

    @Override
    public String toString() {
        return text;
    }

    private enum Op { LT, LE, GT, GE, EQ }

    private record Comparator(Op op, SemverVersion version) {
        boolean test(SemverVersion candidate) {
            int c = candidate.compareTo(version);
            return switch (op) {
                case LT -> c < 0;
                case LE -> c <= 0;
                case GT -> c > 0;
                case GE -> c >= 0;
                case EQ -> c == 0;
            };
        }
    }

    /** A possibly partial version: null parts are wildcards, and everything after a wildcard is one too. */
    private record Partial(Integer major, Integer minor, Integer patch, List<String> prerelease) {

        static Partial parse(String text) {
            Matcher m = PARTIAL.matcher(text);
            if (!m.matches()) {
                throw new IllegalArgumentException("not a version or partial version: '" + text + "'");
            }
            Integer major = number(m.group(1));
            Integer minor = major == null ? null : number(m.group(2));
            Integer patch = minor == null ? null : number(m.group(3));
            if (m.group(4) != null && patch == null) {
                throw new IllegalArgumentException("a pre-release needs a full version: '" + text + "'");
            }
            List<String> pre = m.group(4) == null ? List.of() : Arrays.asList(m.group(4).split("\\."));
            return new Partial(major, minor, patch, pre);
        }

        private static Integer number(String part) {
            return part == null || part.equalsIgnoreCase("x") || part.equals("*") ? null : Integer.valueOf(part);
        }

        SemverVersion floor() {
            return new SemverVersion(major, minor == null ? 0 : minor, patch == null ? 0 : patch, prerelease);
        }

        // The first version above a partial: 1 -> 2.0.0, 1.2 -> 1.3.0.
        SemverVersion next() {
            return minor == null ? SemverVersion.of(major + 1, 0, 0) : SemverVersion.of(major, minor + 1, 0);
        }
    }
}
