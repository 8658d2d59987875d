package io.rinpoche.deploy.web;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Makes broken variants of a valid payload from a seeded {@link Random}: random bytes, flipped and
 * cut bytes, stray JSON tokens, and (most often) structurally valid JSON whose fields are removed,
 * added, or replaced by values of the wrong type, size or form, so that the adapters' own checks
 * are reached, not only the JSON parser's.
 */
final class PayloadMutator {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String[] TOKENS = {"{", "}", "[", "]", ",", ":", "\"", "null", "\\u0000", "\\", "1e999999",
            "-0", "\"\\ud800\"", "tru", "NaN", "//", "\u00ff", "\n"};
    private static final String[] STRINGS = {"", " ", "sha256:" + "a".repeat(64), "sha256:" + "A".repeat(64), "sha256:",
            "develop-abc123", "1.4.0", "v1", "push", "pull", "PUSH_ARTIFACT", "published", "a".repeat(300), "\u0000",
            "../../etc/passwd", "\ud83d\ude80", "${HOOK_TOKEN}", "127.0.0.1:5000/x:1", "A:B", "-", ":", "@", "/",
            "application/vnd.docker.distribution.manifest.v2+json", "ghcr.io/A/B:", "registry.evil.com:99999",
            // Odd unicode: right-to-left override, zero-width space, BOM, fullwidth letters, combining marks.
            "\u202egnigats", "sta\u200bging", "\ufeffstaging", "\uff53\uff54\uff41\uff47\uff49\uff4e\uff47",
            "a\u0301\u0302\u0303", "staging", "app", "1234567", "0123456789abcdef0123456789abcdef01234567"};
    private final Random random;

    PayloadMutator(long seed) {
        this.random = new Random(seed);
    }

    byte[] mutate(byte[] sample) {
        return switch (random.nextInt(8)) {
            case 0 -> randomBytes();
            case 1 -> flipBytes(sample);
            case 2 -> insertTokens(sample);
            case 3 -> Arrays.copyOf(sample, random.nextInt(sample.length + 1));
            default -> mutateTree(sample);
        };
    }

    /** A variant of 1 to 3 MiB: a long value, padding, or a long array. */
    byte[] huge(byte[] sample) {
        int size = (1 + random.nextInt(3)) * 1024 * 1024;
        ObjectNode root = (ObjectNode) JSON.readTree(sample);
        return switch (random.nextInt(3)) {
            case 0 -> JSON.writeValueAsBytes(root.put(root.propertyNames().iterator().next(), "a".repeat(size)));
            case 1 -> (" ".repeat(size) + new String(sample, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
            default -> {
                ArrayNode padding = root.putArray("padding");
                for (int i = 0; i < size / 2; i++) {
                    padding.add(1);
                }
                yield JSON.writeValueAsBytes(root);
            }
        };
    }

    private byte[] randomBytes() {
        byte[] bytes = new byte[random.nextInt(400)];
        random.nextBytes(bytes);
        return bytes;
    }

    private byte[] flipBytes(byte[] sample) {
        byte[] bytes = sample.clone();
        for (int i = 0, n = 1 + random.nextInt(8); i < n && bytes.length > 0; i++) {
            bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
        }
        return bytes;
    }

    private byte[] insertTokens(byte[] sample) {
        StringBuilder text = new StringBuilder(new String(sample, StandardCharsets.UTF_8));
        for (int i = 0, n = 1 + random.nextInt(4); i < n; i++) {
            text.insert(random.nextInt(text.length() + 1), TOKENS[random.nextInt(TOKENS.length)]);
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    private byte[] mutateTree(byte[] sample) {
        JsonNode root = JSON.readTree(sample);
        for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
            List<JsonNode> containers = new ArrayList<>();
            collect(root, containers);
            change(containers.get(random.nextInt(containers.size())));
        }
        return JSON.writeValueAsBytes(root);
    }

    private static void collect(JsonNode node, List<JsonNode> containers) {
        if (node.isObject() || node.isArray()) {
            containers.add(node);
            node.values().forEach(child -> collect(child, containers));
        }
    }

    private void change(JsonNode container) {
        if (container instanceof ObjectNode object) {
            List<String> names = new ArrayList<>(object.propertyNames());
            if (names.isEmpty() || random.nextInt(5) == 0) {
                object.set(STRINGS[random.nextInt(STRINGS.length)], value());
            } else if (random.nextInt(4) == 0) {
                object.remove(names.get(random.nextInt(names.size())));
            } else {
                object.set(names.get(random.nextInt(names.size())), value());
            }
        } else if (container instanceof ArrayNode array) {
            if (array.isEmpty() || random.nextInt(4) == 0) {
                array.add(value());
            } else if (random.nextInt(4) == 0) {
                array.remove(random.nextInt(array.size()));
            } else {
                array.set(random.nextInt(array.size()), value());
            }
        }
    }

    private JsonNode value() {
        return switch (random.nextInt(9)) {
            case 0 -> NODES.nullNode();
            case 1 -> NODES.booleanNode(random.nextBoolean());
            case 2 -> NODES.numberNode(random.nextLong());
            case 3 -> NODES.numberNode(new BigInteger("9".repeat(1 + random.nextInt(200))));
            case 4 -> NODES.numberNode(random.nextDouble() * 1e300);
            case 5 -> NODES.objectNode();
            case 6 -> nested(1 + random.nextInt(60));
            default -> NODES.stringNode(STRINGS[random.nextInt(STRINGS.length)]);
        };
    }

    private JsonNode nested(int depth) {
        ArrayNode outer = NODES.arrayNode();
        ArrayNode current = outer;
        for (int i = 1; i < depth; i++) {
            ArrayNode inner = NODES.arrayNode();
            current.add(inner);
            current = inner;
        }
        return outer;
    }
}
