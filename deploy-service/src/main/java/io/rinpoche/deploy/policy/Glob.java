package io.rinpoche.deploy.policy;

import java.util.regex.Pattern;

/** A glob: {@code *} matches within one path segment, {@code **} across segments, {@code ?} one character. */
final class Glob {

    private final Pattern pattern;

    private Glob(Pattern pattern) {
        this.pattern = pattern;
    }

    /** Compiles a glob; every other character stands for itself. */
    static Glob compile(String glob) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                regex.append(".*");
                i++;
            } else if (c == '*') {
                regex.append("[^/]*");
            } else if (c == '?') {
                regex.append("[^/]");
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return new Glob(Pattern.compile(regex.toString()));
    }

    boolean matches(String text) {
        return pattern.matcher(text).matches();
    }
}
