package io.rinpoche.deploy.requests;

import io.rinpoche.deploy.model.Environment;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Why the desired state of an environment could not be read the last time the reconcile loop tried (a
 * corrupt state file, an unreachable remote), so that the API and the dashboard show it until it is fixed.
 */
public final class StateProblems {

    private static final String ALL = "";
    private final Map<String, String> problems = new ConcurrentHashMap<>();

    /** Records {@code problem} for {@code environment} (null: the whole repository). */
    void report(Environment environment, String problem) {
        problems.put(key(environment), problem);
    }

    void clear(Environment environment) {
        problems.remove(key(environment));
    }

    /** The problem of {@code environment}, or of the whole repository. */
    public Optional<String> of(Environment environment) {
        return Optional.ofNullable(problems.get(key(environment))).or(() -> Optional.ofNullable(problems.get(ALL)));
    }

    private static String key(Environment environment) {
        return environment == null ? ALL : environment.name();
    }
}
