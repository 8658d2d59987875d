package io.rinpoche.deploy.state;

import io.rinpoche.deploy.model.Environment;
import io.rinpoche.deploy.model.ImageRef;
import io.rinpoche.deploy.model.ServiceName;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The desired images of one environment, as the file {@code env/<environment>.images.env} holds them: one
 * {@code <SERVICE>_IMAGE=<image>} line per pinned service, which {@code docker compose --env-file} reads as it
 * is (the stack's compose file uses {@code ${APP_IMAGE:-default}}). A service without a line is not managed.
 */
public final class PinFile {

    private static final Pattern KEY = Pattern.compile("[A-Z0-9][A-Z0-9_]*_IMAGE");

    private final Environment environment;
    private final Map<String, ImageRef> pins;

    private PinFile(Environment environment, Map<String, ImageRef> pins) {
        this.environment = environment;
        this.pins = Collections.unmodifiableMap(new TreeMap<>(pins));
    }

    /** The file of {@code environment} inside the repository. */
    public static String path(Environment environment) {
        return "env/" + environment.name() + ".images.env";
    }

    /** The variable that pins {@code service}: {@code app} -> {@code APP_IMAGE}, {@code api-v2} -> {@code API_V2_IMAGE}. */
    public static String key(ServiceName service) {
        return service.name().toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_") + "_IMAGE";
    }

    /** No pins. */
    public static PinFile empty(Environment environment) {
        return new PinFile(environment, Map.of());
    }

    /**
     * Reads the file's bytes; blank lines and {@code #} comments are allowed, anything else must be a pin.
     *
     * @throws CorruptStateException naming the file and line that is not one
     */
    public static PinFile parse(Environment environment, byte[] content) {
        Map<String, ImageRef> pins = new TreeMap<>();
        String[] lines = new String(content, StandardCharsets.UTF_8).split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = path(environment) + " line " + (i + 1);
            int equals = line.indexOf('=');
            if (equals < 0 || !KEY.matcher(line.substring(0, equals)).matches()) {
                throw new CorruptStateException(where + ": expected <SERVICE>_IMAGE=<image>, found '"
                        + abbreviate(line) + "'");
            }
            try {
                ImageRef image = ImageRef.parse(line.substring(equals + 1));
                if (pins.put(line.substring(0, equals), image) != null) {
                    throw new CorruptStateException(where + ": " + line.substring(0, equals) + " is set twice");
                }
            } catch (IllegalArgumentException e) {
                throw new CorruptStateException(where + ": not an image reference: " + e.getMessage());
            }
        }
        return new PinFile(environment, pins);
    }

    /** The pinned image of {@code service}, if it is pinned. */
    public Optional<ImageRef> pin(ServiceName service) {
        return Optional.ofNullable(pins.get(key(service)));
    }

    /** Every pin by its variable name, sorted. */
    public Map<String, ImageRef> pins() {
        return pins;
    }

    /** This file with {@code service} pinned to {@code image}, or unpinned when {@code image} is null. */
    public PinFile with(ServiceName service, ImageRef image) {
        return with(key(service), image);
    }

    PinFile with(String key, ImageRef image) {
        Map<String, ImageRef> changed = new TreeMap<>(pins);
        if (image == null) {
            changed.remove(key);
        } else {
            changed.put(key, image);
        }
        return new PinFile(environment, changed);
    }

    /** The file's content: a header comment, then the pins sorted by name. */
    public byte[] format() {
        StringBuilder text = new StringBuilder("# Desired images of environment ").append(environment)
                .append(", written by rinpoche's deploy service.\n")
                .append("# Use it as it is: docker compose --env-file ").append(path(environment)).append(" up -d\n");
        pins.forEach((key, image) -> text.append(key).append('=').append(image).append('\n'));
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String abbreviate(String line) {
        return line.length() <= 80 ? line : line.substring(0, 80) + "...";
    }
}
