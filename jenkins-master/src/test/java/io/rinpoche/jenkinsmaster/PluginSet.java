package io.rinpoche.jenkinsmaster;

import io.rinpoche.jenkinsmaster.plugins.Versions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.Yaml;

/**
 * The pinned plugin set (image/plugins.txt and the Dockerfile's core) checked against what each pinned
 * release requires (plugins/metadata.yaml, generated from the releases' own poms). Problems are messages
 * naming the plugin, the requirement and the pin that misses it; none, empty list.
 */
final class PluginSet {

    private static final Pattern PIN = Pattern.compile("^([a-z0-9][a-z0-9._-]*):(\\S+)$");
    private static final Pattern CORE = Pattern.compile("(?m)^ARG JENKINS_VERSION=(\\S+)$");

    private final Map<String, Object> metadata;

    private PluginSet(Map<String, Object> metadata) {
        this.metadata = metadata;
    }

    static PluginSet read(Path metadataFile) {
        return new PluginSet(new Yaml().load(text(metadataFile)));
    }

    /** Everything that stops the set from installing and loading exactly as pinned. */
    List<String> problems(Path pluginsFile, Path dockerfile) {
        Map<String, String> pins = pins(pluginsFile);
        String core = core(dockerfile);
        List<String> problems = new ArrayList<>(generatedFor(pins, core));
        plugins().forEach((id, release) -> {
            if (pins.containsKey(id) && !Boolean.TRUE.equals(release.get("unread"))) {
                problems.addAll(requirements(id, release, pins, core));
            }
        });
        return problems;
    }

    /** Plugins whose sources could not be read: pinned, but what they require is not known offline. */
    List<String> unread() {
        return plugins().entrySet().stream().filter(e -> Boolean.TRUE.equals(e.getValue().get("unread"))).map(Map.Entry::getKey).toList();
    }

    /** The metadata must describe exactly these pins and this core, or it says nothing about them. */
    private List<String> generatedFor(Map<String, String> pins, String core) {
        List<String> problems = new ArrayList<>();
        if (!core.equals(metadata.get("core"))) {
            problems.add("the Dockerfile pins core " + core + " but plugins/metadata.yaml was generated for " + metadata.get("core")
                    + ": run jenkins-master/plugins/regenerate.sh");
        }
        Map<String, String> described = new TreeMap<>();
        plugins().forEach((id, release) -> described.put(id, String.valueOf(release.get("version"))));
        pins.forEach((id, version) -> {
            if (!version.equals(described.get(id))) {
                problems.add("plugins.txt pins " + id + ":" + version + " but plugins/metadata.yaml describes "
                        + (described.containsKey(id) ? id + ":" + described.get(id) : "no " + id) + ": run jenkins-master/plugins/regenerate.sh");
            }
        });
        described.keySet().stream().filter(id -> !pins.containsKey(id)).forEach(id ->
                problems.add("plugins/metadata.yaml describes " + id + ", which plugins.txt does not pin: run jenkins-master/plugins/regenerate.sh"));
        return problems;
    }

    private List<String> requirements(String id, Map<String, Object> release, Map<String, String> pins, String core) {
        List<String> problems = new ArrayList<>();
        String plugin = id + ":" + release.get("version");
        String jenkins = String.valueOf(release.get("jenkins"));
        if (!Versions.atLeast(core, jenkins)) {
            problems.add(plugin + " requires Jenkins " + jenkins + " or newer; the Dockerfile pins " + core);
        }
        needs(plugin, map(release.get("dependencies")), pins, false, problems);
        needs(plugin, map(release.get("optional")), pins, true, problems);
        needs(plugin, implied(jenkins), pins, false, problems);
        return problems;
    }

    private static void needs(String plugin, Map<String, String> dependencies, Map<String, String> pins, boolean optional, List<String> problems) {
        dependencies.forEach((dependency, minimum) -> {
            String pinned = pins.get(dependency);
            if (pinned == null && !optional) {
                problems.add(plugin + " requires " + dependency + " " + minimum + " or newer, which plugins.txt does not pin");
            } else if (pinned != null && !Versions.atLeast(pinned, minimum)) {
                problems.add(plugin + " requires " + dependency + " " + minimum + " or newer" + (optional ? " (optional, but installed)" : "")
                        + "; plugins.txt pins " + dependency + ":" + pinned);
            }
        });
    }

    /** Detached plugins a release built for an older core than their split implicitly depends on. */
    private Map<String, String> implied(String jenkins) {
        Map<String, String> implied = new TreeMap<>();
        for (Object line : (List<?>) metadata.getOrDefault("splits", List.of())) {
            String[] split = line.toString().split("\\s+");
            if (Versions.compare(jenkins, split[1]) < 0) {
                implied.put(split[0], split[2]);
            }
        }
        return implied;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Map<String, Object>> plugins() {
        return (Map<String, Map<String, Object>>) metadata.get("plugins");
    }

    private static Map<String, String> map(Object value) {
        Map<String, String> map = new TreeMap<>();
        if (value instanceof Map<?, ?> m) {
            m.forEach((k, v) -> map.put(k.toString(), v.toString()));
        }
        return map;
    }

    static Map<String, String> pins(Path pluginsFile) {
        Map<String, String> pins = new TreeMap<>();
        text(pluginsFile).lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).forEach(line -> {
            Matcher pin = PIN.matcher(line);
            if (pin.matches()) {
                pins.put(pin.group(1), pin.group(2));
            }
        });
        return pins;
    }

    private static String core(Path dockerfile) {
        Matcher m = CORE.matcher(text(dockerfile));
        if (!m.find()) {
            throw new IllegalStateException(dockerfile + " has no ARG JENKINS_VERSION=");
        }
        return m.group(1);
    }

    private static String text(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
