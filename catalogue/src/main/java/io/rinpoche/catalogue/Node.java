package io.rinpoche.catalogue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * A YAML node of one catalogue file with its line, read with the checks every field needs: the expected shape,
 * known keys, no duplicate keys. A wrong shape is recorded in {@link Problems} and reads as absent.
 */
record Node(org.yaml.snakeyaml.nodes.Node yaml, String file, Problems problems) {

    int line() {
        return yaml.getStartMark().getLine() + 1;
    }

    void error(String message) {
        problems.add(file, line(), message);
    }

    /** The keys of a mapping, in order; unknown or repeated keys are errors naming the known ones. */
    Optional<Map<String, Node>> mapping(String what, Set<String> known) {
        if (!(yaml instanceof MappingNode map)) {
            error(what + " must be a mapping (key: value lines)");
            return Optional.empty();
        }
        Map<String, Node> entries = new LinkedHashMap<>();
        for (NodeTuple tuple : map.getValue()) {
            Node key = new Node(tuple.getKeyNode(), file, problems);
            Optional<String> name = key.scalar("a key of " + what);
            if (name.isEmpty()) {
                continue;
            }
            if (!known.isEmpty() && !known.contains(name.get())) {
                key.error("unknown key '" + name.get() + "' in " + what + " (known: " + String.join(", ", sorted(known)) + ")");
            } else if (entries.containsKey(name.get())) {
                key.error("duplicate key '" + name.get() + "' in " + what);
            } else {
                entries.put(name.get(), new Node(tuple.getValueNode(), file, problems));
            }
        }
        return Optional.of(entries);
    }

    Optional<List<Node>> sequence(String what) {
        if (!(yaml instanceof SequenceNode list)) {
            error(what + " must be a list");
            return Optional.empty();
        }
        return Optional.of(list.getValue().stream().map(item -> new Node(item, file, problems)).toList());
    }

    Optional<String> scalar(String what) {
        if (!(yaml instanceof ScalarNode scalar)) {
            error(what + " must be a single value, not a list or mapping");
            return Optional.empty();
        }
        return Optional.of(scalar.getValue());
    }

    /** A list of values, or one value standing for a list of one. */
    List<String> scalars(String what) {
        if (yaml instanceof ScalarNode) {
            return scalar(what).stream().toList();
        }
        return sequence(what).stream().flatMap(List::stream).flatMap(item -> item.scalar(what).stream()).toList();
    }

    Optional<Integer> integer(String what, int min, int max) {
        return scalar(what).flatMap(text -> {
            try {
                int value = Integer.parseInt(text);
                if (value >= min && value <= max) {
                    return Optional.of(value);
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            error(what + " must be a whole number from " + min + " to " + max + ", not '" + text + "'");
            return Optional.empty();
        });
    }

    Optional<Boolean> bool(String what) {
        return scalar(what).flatMap(text -> {
            if (text.equals("true") || text.equals("false")) {
                return Optional.of(Boolean.valueOf(text));
            }
            error(what + " must be true or false, not '" + text + "'");
            return Optional.empty();
        });
    }

    private static List<String> sorted(Set<String> keys) {
        return keys.stream().sorted().toList();
    }
}
