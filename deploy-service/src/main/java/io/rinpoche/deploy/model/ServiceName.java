package io.rinpoche.deploy.model;

import java.util.Objects;
import java.util.regex.Pattern;

/** A service of an environment's stack, e.g. {@code app}: a compose service name. */
public record ServiceName(String name) {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,62}");

    public ServiceName {
        Objects.requireNonNull(name, "service");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a service name: '" + Texts.abbreviate(name)
                    + "' (lower-case letters, digits, '.', '-' and '_')");
        }
    }

    /** Parses and validates a service name. */
    public static ServiceName of(String name) {
        return new ServiceName(name);
    }

    @Override
    public String toString() {
        return name;
    }
}
