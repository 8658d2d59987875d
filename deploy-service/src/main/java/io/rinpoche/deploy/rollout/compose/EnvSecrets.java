package io.rinpoche.deploy.rollout.compose;

import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/**
 * The values of a container's secret-looking environment variables ({@code DJANGO_SECRET_KEY},
 * {@code MYSQL_PASSWORD}, {@code *_TOKEN}...), and the contents of the files its secret-looking {@code <NAME>_FILE}
 * variables name (compose secrets, which the platform uses; {@link #files}), so that a rollout's reason - which quotes the container's last
 * log lines and health check output, and ends up in the history, the state repository's remote and the
 * dashboard - never carries one. An app that prints its settings on a crash is common enough.
 */
record EnvSecrets(List<String> values) {

    private static final Pattern SECRET_NAME =
            Pattern.compile("(?i).*(PASSWORD|PASSWD|SECRET|TOKEN|KEY|CREDENTIAL|AUTH).*");
    // Shorter values would blank out ordinary words and numbers; no generated secret is that short.
    private static final int MIN_LENGTH = 6;
    static final String MASK = "******";

    EnvSecrets {
        // Longest first, so that a secret containing another is masked whole.
        values = values.stream().distinct().sorted(Comparator.comparingInt(String::length).reversed()).toList();
    }

    /** The secrets in {@code Config.Env} of an inspected container (a {@code <NAME>_FILE} variable's path is none). */
    static EnvSecrets of(JsonNode container) {
        return new EnvSecrets(secretVariables(container).filter(entry -> !isFile(entry))
                .map(entry -> entry.substring(entry.indexOf('=') + 1))
                .filter(value -> value.length() >= MIN_LENGTH)
                .toList());
    }

    /** The absolute paths named by the container's secret-looking {@code <NAME>_FILE} variables, to read with {@link #and}. */
    static List<String> files(JsonNode container) {
        return secretVariables(container).filter(EnvSecrets::isFile)
                .map(entry -> entry.substring(entry.indexOf('=') + 1))
                .filter(path -> path.startsWith("/"))
                .distinct()
                .toList();
    }

    /** These secrets and the contents of their files (trailing line breaks dropped, as the images read them). */
    EnvSecrets and(List<String> fileContents) {
        return new EnvSecrets(Stream.concat(values.stream(), fileContents.stream().map(value -> value.replaceAll("[\\r\\n]+$", ""))
                .filter(value -> value.length() >= MIN_LENGTH)).toList());
    }

    private static Stream<String> secretVariables(JsonNode container) {
        return container.path("Config").path("Env").values().stream()
                .map(entry -> entry.asString(""))
                .filter(entry -> entry.indexOf('=') > 0)
                .filter(entry -> SECRET_NAME.matcher(entry.substring(0, entry.indexOf('='))).matches());
    }

    private static boolean isFile(String entry) {
        return entry.substring(0, entry.indexOf('=')).endsWith("_FILE");
    }

    /** {@code text} with every secret value replaced by {@link #MASK}. */
    String redact(String text) {
        String redacted = text;
        for (String value : values) {
            redacted = redacted.replace(value, MASK);
        }
        return redacted;
    }
}
