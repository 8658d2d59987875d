package io.rinpoche.deploy.model;

import java.util.Objects;
import java.util.regex.Pattern;

/** An environment such as {@code staging} or {@code production}; one compose project each. */
public record Environment(String name) {

    // A compose project name: lower-case letters, digits, dashes and underscores, starting with a letter or digit.
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");

    public Environment {
        Objects.requireNonNull(name, "environment");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not an environment name: '" + Texts.abbreviate(name)
                    + "' (lower-case letters, digits, '-' and '_')");
        }
    }

    /** Parses and validates an environment name. */
    public static Environment of(String name) {
        return new Environment(name);
    }

    @Override
    public String toString() {
        return name;
    }
}
