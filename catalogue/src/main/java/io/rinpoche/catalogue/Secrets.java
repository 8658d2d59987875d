package io.rinpoche.catalogue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The platform's secrets file ({@code .rinpoche/secrets.env}, mode 600): {@code NAME=value} lines. Each app gets
 * its own secrets per environment, {@code <ENV>_<APP>_DATABASE_PASSWORD}, {@code _REDIS_PASSWORD} and
 * {@code _SECRET_KEY}, generated once and kept; they are never printed.
 */
final class Secrets {

    static final List<String> PER_APP = List.of("DATABASE_PASSWORD", "REDIS_PASSWORD", "SECRET_KEY");
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path file;
    private final Map<String, String> values = new LinkedHashMap<>();

    private Secrets(Path file) {
        this.file = file;
    }

    static Secrets read(Path file) throws IOException {
        Secrets secrets = new Secrets(file);
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    secrets.values.putIfAbsent(line.substring(0, eq), line.substring(eq + 1));
                }
            }
        }
        return secrets;
    }

    /** The value of {@code name}; fails when the file lacks it (./platform generates the platform's own first). */
    String get(String name) {
        String value = values.get(name);
        if (value == null || value.isEmpty()) {
            throw new IllegalStateException(name + " is missing from " + file);
        }
        return value;
    }

    /** Appends a random value for every per-app secret the file lacks. */
    void ensure(List<App> apps, List<String> environments) throws IOException {
        StringBuilder added = new StringBuilder();
        for (String env : environments) {
            for (App app : apps) {
                for (String name : PER_APP) {
                    String key = key(env, app, name);
                    if (!values.containsKey(key)) {
                        values.put(key, random());
                        added.append(key).append('=').append(values.get(key)).append('\n');
                    }
                }
            }
        }
        if (!added.isEmpty()) {
            if (!Files.exists(file)) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            Files.writeString(file, added, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        }
    }

    static String key(String env, App app, String name) {
        return env.toUpperCase(java.util.Locale.ROOT) + "_" + app.key() + "_" + name;
    }

    private static String random() {
        StringBuilder value = new StringBuilder(32);
        for (int i = 0; i < 32; i++) {
            value.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return value.toString();
    }
}
