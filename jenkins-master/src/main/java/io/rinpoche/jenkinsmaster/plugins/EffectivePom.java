package io.rinpoche.jenkinsmaster.plugins;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A pom with what it inherits: properties, managed versions ("groupId:artifactId" -> version, imports
 * included) and dependencies. Built by {@link PomReader}; only what a plugin's dependency list needs.
 */
record EffectivePom(Pom pom, Map<String, String> properties, Map<String, String> managed, List<Pom.Dependency> dependencies) {

    private static final Pattern PROPERTY = Pattern.compile("\\$\\{([^}]+)}");

    /** {@code text} with every ${property} this pom defines replaced (nested ones too); unknown ones stay. */
    String interpolate(String text) {
        if (text == null) {
            return null;
        }
        String current = text;
        for (int round = 0; round < 10 && current.contains("${"); round++) {
            Matcher m = PROPERTY.matcher(current);
            current = m.replaceAll(r -> Matcher.quoteReplacement(properties.getOrDefault(r.group(1), r.group())));
        }
        return current;
    }

    /** The version a dependency resolves to here: its own, else the managed one; null if neither. */
    String versionOf(Pom.Dependency dependency) {
        String version = dependency.version() != null ? dependency.version() : managed.get(key(dependency));
        return interpolate(version);
    }

    static String key(Pom.Dependency d) {
        return d.groupId() + ":" + d.artifactId();
    }

    /** This pom over {@code parent} (may be null), with the managed versions of its imports last. */
    static EffectivePom of(Pom pom, EffectivePom parent, String version, List<EffectivePom> imports) {
        Map<String, String> properties = new LinkedHashMap<>(parent == null ? Map.of() : parent.properties());
        properties.putAll(pom.properties());
        properties.put("project.version", version);
        properties.put("project.groupId", pom.groupId());
        properties.put("project.artifactId", pom.artifactId());
        EffectivePom partial = new EffectivePom(pom, properties, Map.of(), List.of());
        Map<String, String> managed = new LinkedHashMap<>();
        pom.managed().stream().filter(d -> !d.isImport() && d.classifier() == null)
                .forEach(d -> managed.put(partial.interpolate(key(d)), partial.interpolate(d.version())));
        if (parent != null) {
            parent.managed().forEach(managed::putIfAbsent);
        }
        imports.forEach(i -> i.managed().forEach(managed::putIfAbsent));
        return new EffectivePom(pom, properties, managed, dependencies(pom, parent));
    }

    private static List<Pom.Dependency> dependencies(Pom pom, EffectivePom parent) {
        Map<String, Pom.Dependency> byKey = new LinkedHashMap<>();
        if (parent != null) {
            parent.dependencies().forEach(d -> byKey.put(key(d), d));
        }
        pom.dependencies().stream().filter(d -> d.classifier() == null).forEach(d -> byKey.put(key(d), d));
        return new ArrayList<>(byKey.values());
    }
}
