package io.rinpoche.jenkinsmaster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.Yaml;

/**
 * Checks casc YAML against plugins/casc-model.yaml, the model generated from the pinned core's and plugins'
 * sources: every top-level key is a root element, every key an attribute of its type, every abstract type
 * written as one of its implementations' names, every enum value one of the enum's. Types the model does
 * not know (scalars, types outside the sources) are not looked into.
 */
final class CascCheck {

    private final Map<String, Map<String, String>> roots;
    private final Map<String, Map<String, Object>> types;

    @SuppressWarnings("unchecked")
    private CascCheck(Map<String, Object> model) {
        this.roots = (Map<String, Map<String, String>>) model.get("roots");
        this.types = (Map<String, Map<String, Object>>) model.get("types");
    }

    static CascCheck read(Path model) {
        return new CascCheck(new Yaml().load(text(model)));
    }

    /** Problems of one casc file, each naming the file, the path in it and what is allowed there. */
    List<String> problems(Path file) {
        List<String> problems = new ArrayList<>();
        Object loaded = new Yaml().load(text(file));
        if (!(loaded instanceof Map<?, ?> top)) {
            return List.of(file + ": not a map of JCasC root elements");
        }
        top.forEach((key, value) -> {
            Map<String, String> root = roots.get(String.valueOf(key));
            if (root == null) {
                problems.add(file + ": unknown top-level key '" + key + "'" + hint(String.valueOf(key), roots.keySet()) + " (roots: " + roots.keySet() + ")");
            } else if (root.containsKey("")) {
                check(value, root.get(""), String.valueOf(key), file, problems);
            } else {
                attributes(value, root, String.valueOf(key), "root " + key, file, problems);
            }
        });
        return problems;
    }

    private void check(Object node, String type, String path, Path file, List<String> problems) {
        if (node == null) {
            return;
        }
        if (type.startsWith("List<")) {
            String element = type.substring(5, type.length() - 1);
            if (node instanceof List<?> list) {
                for (int i = 0; i < list.size(); i++) {
                    check(list.get(i), element, path + "[" + i + "]", file, problems);
                }
            } else {
                check(node, element, path, file, problems);
            }
            return;
        }
        Map<String, Object> described = types.get(type);
        if (described == null) {
            return;
        }
        if (described.containsKey("enum")) {
            enumValue(node, type, (List<?>) described.get("enum"), path, file, problems);
        } else if (described.containsKey("implementations")) {
            implementation(node, type, castMap(described.get("implementations")), path, file, problems);
        } else if (node instanceof Map<?, ?>) {
            attributes(node, castMap(described.get("attributes")), path, simple(type), file, problems);
        }
    }

    private void implementation(Object node, String type, Map<String, String> names, String path, Path file, List<String> problems) {
        String name = node instanceof Map<?, ?> map && map.size() == 1 ? String.valueOf(map.keySet().iterator().next())
                : node instanceof String s ? s : null;
        if (name == null) {
            problems.add(file + ": " + path + " is a " + simple(type) + ": write it as one of " + names.keySet() + " with its attributes");
        } else if (!names.containsKey(name)) {
            problems.add(file + ": " + path + ": '" + name + "' is no " + simple(type) + hint(name, names.keySet()) + " (known: " + names.keySet() + ")");
        } else if (node instanceof Map<?, ?> map) {
            check(map.values().iterator().next(), names.get(name), path + "." + name, file, problems);
        }
    }

    private void attributes(Object node, Map<String, String> attributes, String path, String owner, Path file, List<String> problems) {
        if (!(node instanceof Map<?, ?> map)) {
            return;
        }
        map.forEach((key, value) -> {
            String attribute = String.valueOf(key);
            String type = attributes.get(attribute);
            if (type == null) {
                problems.add(file + ": " + path + ": unknown key '" + attribute + "' for " + owner + hint(attribute, attributes.keySet())
                        + " (known: " + attributes.keySet() + ")");
            } else {
                check(value, type, path + "." + attribute, file, problems);
            }
        });
    }

    private static void enumValue(Object node, String type, List<?> values, String path, Path file, List<String> problems) {
        String value = String.valueOf(node);
        if (!value.contains("${") && values.stream().map(String::valueOf).noneMatch(value::equals)) {
            problems.add(file + ": " + path + ": '" + value + "' is not a " + simple(type) + " (one of " + values + ")");
        }
    }

    /** ", did you mean 'x'?" for the closest known name within three edits. */
    static String hint(String wrong, Collection<String> known) {
        // Ties go to a name with the same first letter (gti -> git rather than cli).
        return known.stream().filter(k -> !k.isEmpty()).min(Comparator.<String>comparingInt(k -> distance(wrong, k))
                        .thenComparing(k -> Character.toLowerCase(k.charAt(0)) != Character.toLowerCase(wrong.charAt(0))))
                .filter(k -> distance(wrong, k) <= 3).map(k -> ", did you mean '" + k + "'?").orElse("");
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            int[] current = new int[b.length() + 1];
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = Character.toLowerCase(a.charAt(i - 1)) == Character.toLowerCase(b.charAt(j - 1)) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            previous = current;
        }
        return previous[b.length()];
    }

    private static String simple(String type) {
        return type.substring(type.lastIndexOf('.') + 1);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> castMap(Object value) {
        return value == null ? Map.of() : (Map<String, String>) value;
    }

    private static String text(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
