package io.rinpoche.catalogue;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One catalogued app, as its {@code app.yaml} declares it (defaults filled in).
 *
 * @param name     the app's name: its compose service, database, database and Redis user, and Jenkins job
 * @param file     the app.yaml it comes from, as shown in errors
 * @param line     the line of its {@code name}
 * @param code     the folder with its Dockerfile
 * @param image    its repository in the platform's registry
 * @param replicas containers per environment unless a route says otherwise
 * @param health   the path of its health check
 * @param settings plain (non-secret) environment variables
 * @param routes   where each environment serves it; an environment without a route does not run it
 * @param releases which pushed tags go to which environment, first match wins
 */
public record App(String name, String file, int line, Path code, String image, int replicas, String health,
                  Map<String, String> settings, Map<String, Route> routes, List<Release> releases) {

    /** {@code hello-django} -> {@code HELLO_DJANGO}: the app's part of variable names (pins, secrets). */
    public String key() {
        return name.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /** {@code hello-django} -> {@code hello_django}: its database and database user. */
    public String database() {
        return name.replace('-', '_');
    }

    /**
     * The routing of an app in one environment: its hosts, the path prefix (/ for all) and replicas; and whether the
     * deploy service analyses its deploys there ({@code analysis}; null: the deploy service's default, on in production).
     */
    public record Route(List<String> hosts, String prefix, int replicas, int line, Boolean analysis) {
    }

    /** A release rule: tags that match {@code tag} (read as {@code match} says) go to {@code environment}. */
    public record Release(String environment, String match, String tag) {
    }
}
