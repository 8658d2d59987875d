package io.rinpoche.jenkinsmaster.plugins;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Resolves the whole plugin set from the plugins the master wants and one jenkinsci/bom line, reading
 * every release's own pom at its tag, and writes image/plugins.txt (every pin) and plugins/metadata.yaml
 * (what each pinned release requires). Run by plugins/regenerate.sh; see jenkins-master/README.md.
 *
 * <p>Exit status 3 with "missing clone: owner/name" lines when a repository is not under the mirrors
 * directory yet (the script clones those and runs it again).
 */
public final class GeneratePluginMetadata {

    /** The repository of a plugin whose sources cannot be read: pinned at the bom's version, requirements unknown. */
    static final String UNREAD = "-";

    private final Git git;
    private final PomReader poms;
    private final Map<String, String> repositories;
    private final Map<String, String> bom;
    private final TreeSet<String> missing = new TreeSet<>();
    private final Map<String, List<Tags.Release>> candidates = new HashMap<>();
    private final Map<String, Integer> choice = new HashMap<>();
    private final Map<String, PluginRelease> read = new HashMap<>();

    GeneratePluginMetadata(Git git, PomReader poms, Map<String, String> repositories, Map<String, String> bom) {
        this.git = git;
        this.poms = poms;
        this.repositories = repositories;
        this.bom = bom;
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 5) {
            System.err.println("usage: GeneratePluginMetadata <mirrors dir> <bom tag> <bom line, e.g. 2.568.x> <core version> <jenkins-master dir>");
            System.exit(2);
        }
        Git git = new Git(Path.of(args[0]));
        Path master = Path.of(args[4]);
        requireClone(git, PomReader.BOM_REPO);
        requireClone(git, PomReader.PLUGIN_POM_REPO);
        Map<String, String> repositories = repositories(master.resolve("plugins/repositories.txt"));
        Map<String, String> parents = new TreeMap<>(repositories);
        parents.keySet().removeIf(k -> !k.contains(":"));
        PomReader poms = new PomReader(git, parents);
        Map<String, String> bom = bomPlugins(poms.read(PomReader.BOM_REPO, args[1], "bom-" + args[2] + "/pom.xml", args[1]));
        GeneratePluginMetadata generator = new GeneratePluginMetadata(git, poms, repositories, bom);
        Map<String, PluginRelease> closure = generator.closure(ids(master.resolve("plugins/wanted.txt")));
        if (!generator.missing.isEmpty()) {
            generator.missing.forEach(repo -> System.out.println("missing clone: " + repo));
            System.exit(3);
        }
        MetadataFile.write(master.resolve("plugins/metadata.yaml"), args[3], args[1], args[2], splits(git, args[3]), closure);
        MetadataFile.writePins(master.resolve("image/plugins.txt"), closure);
        System.err.println(closure.size() + " plugins written to image/plugins.txt and plugins/metadata.yaml");
    }

    /**
     * Every wanted plugin and, transitively, every mandatory dependency, each at the bom's version, or
     * (when the bom's release cannot be read here) at the newest earlier readable release. A release
     * whose requirement the set cannot meet is replaced by its predecessor until every requirement is met.
     */
    Map<String, PluginRelease> closure(List<String> wanted) {
        while (true) {
            Map<String, PluginRelease> releases = walk(wanted);
            Optional<String> conflict = unmet(releases);
            if (conflict.isEmpty() || !missing.isEmpty()) {
                return releases;
            }
            String id = conflict.get().substring(0, conflict.get().indexOf(':'));
            int next = choice.merge(id, 1, Integer::sum);
            if (next >= candidates(id).size()) {
                throw new IllegalStateException("no readable release of " + id + " fits the set: " + conflict.get());
            }
            System.err.println("older " + id + " (" + candidates(id).get(next).version() + ") because " + conflict.get());
        }
    }

    private Map<String, PluginRelease> walk(List<String> wanted) {
        Map<String, PluginRelease> releases = new TreeMap<>();
        Deque<String> queue = new ArrayDeque<>(wanted);
        while (!queue.isEmpty()) {
            String id = queue.poll();
            if (!releases.containsKey(id)) {
                release(id).ifPresent(r -> {
                    releases.put(id, r);
                    queue.addAll(r.dependencies().keySet());
                });
            }
        }
        return releases;
    }

    /** The first requirement of a release that the set misses, as "id:version needs dependency minimum". */
    static Optional<String> unmet(Map<String, PluginRelease> releases) {
        for (PluginRelease r : releases.values()) {
            Map<String, String> needs = new TreeMap<>(r.optional());
            needs.putAll(r.dependencies());
            for (Map.Entry<String, String> need : needs.entrySet()) {
                PluginRelease pinned = releases.get(need.getKey());
                if (pinned != null && !Versions.atLeast(pinned.version(), need.getValue())) {
                    return Optional.of(r.id() + ":" + r.version() + " needs " + need.getKey() + " " + need.getValue()
                            + ", the newest readable is " + pinned.version());
                }
            }
        }
        return Optional.empty();
    }

    private Optional<PluginRelease> release(String id) {
        String coordinates = coordinates(id);
        String repo = repository(id);
        if (repo.equals(UNREAD)) {
            return Optional.of(new PluginRelease(id, bom.get(coordinates), null, null, null, Map.of(), Map.of()));
        }
        if (!git.has(repo)) {
            missing.add(repo);
            return Optional.empty();
        }
        Tags.Release tag = candidates(id).get(choice.getOrDefault(id, 0));
        return Optional.of(read.computeIfAbsent(id + "@" + tag.tag(), k -> {
            String path = pomPath(repo, tag.tag(), coordinates);
            EffectivePom pom = poms.read(repo, tag.tag(), path, tag.version());
            String bomVersion = bom.get(coordinates);
            return describe(id, repo, tag, path, pom, tag.version().equals(bomVersion) ? null : bomVersion);
        }));
    }

    /** The readable releases of a plugin, best first: the bom's (by tag, or by its JEP-229 commit), then older tags. */
    private List<Tags.Release> candidates(String id) {
        return candidates.computeIfAbsent(id, k -> {
            String repo = repository(id);
            String bomVersion = bom.get(coordinates(id));
            List<Tags.Release> releases = new ArrayList<>(Tags.releases(git.tags(repo), id).stream()
                    .filter(r -> Versions.compare(r.version(), bomVersion) <= 0)
                    .sorted((a, b) -> Versions.compare(b.version(), a.version())).toList());
            boolean tagged = !releases.isEmpty() && releases.get(0).version().equals(bomVersion);
            Optional<String> commit = Tags.commitOf(bomVersion).filter(c -> git.hasCommit(repo, c));
            if (!tagged && commit.isPresent()) {
                releases.add(0, new Tags.Release(commit.get(), bomVersion));
            }
            if (releases.isEmpty()) {
                throw new IllegalStateException(repo + " has no readable release of " + id + " up to " + bomVersion);
            }
            return releases;
        });
    }

    /** The listed repository, else jenkinsci/<id>-plugin, else jenkinsci/<id> (when only that is cloned). */
    private String repository(String id) {
        String repo = repositories.getOrDefault(id, "jenkinsci/" + id + "-plugin");
        return !git.has(repo) && git.has("jenkinsci/" + id) ? "jenkinsci/" + id : repo;
    }

    private PluginRelease describe(String id, String repo, Tags.Release tag, String path, EffectivePom pom, String bomVersion) {
        Map<String, String> mandatory = new TreeMap<>();
        Map<String, String> optional = new TreeMap<>();
        for (Pom.Dependency d : pom.dependencies()) {
            String key = pom.interpolate(EffectivePom.key(d));
            if (!d.atRuntime() || !bom.containsKey(key) || d.type() != null && !d.type().equals("jar")) {
                continue;
            }
            String min = pom.versionOf(d);
            if (min == null || min.contains("${")) {
                throw new IllegalStateException(repo + "@" + tag.tag() + " " + path + ": no version for " + key);
            }
            (d.optional() ? optional : mandatory).put(key.substring(key.indexOf(':') + 1), min);
        }
        String jenkins = pom.interpolate(pom.properties().get("jenkins.version"));
        if (jenkins == null || jenkins.contains("${")) {
            throw new IllegalStateException(repo + "@" + tag.tag() + " " + path + ": no jenkins.version");
        }
        return new PluginRelease(id, tag.version(), jenkins, repo + "@" + tag.tag() + " " + path, bomVersion, mandatory, optional);
    }

    /** The pom in the tree whose artifactId is the plugin's and whose packaging is hpi or jpi. */
    private String pomPath(String repo, String tag, String coordinates) {
        String artifactId = coordinates.substring(coordinates.indexOf(':') + 1);
        return git.files(repo, tag).stream().filter(f -> f.equals("pom.xml") || f.endsWith("/pom.xml"))
                .filter(f -> !f.contains("src/test/"))
                .filter(f -> git.show(repo, tag, f).map(Pom::parse)
                        .filter(p -> artifactId.equals(p.artifactId()) && p.isPlugin()).isPresent())
                .findFirst().orElseThrow(() -> new IllegalStateException(repo + "@" + tag + ": no plugin pom for " + artifactId));
    }

    /** groupId:artifactId of a plugin id, from the bom (a plugin outside the bom is refused). */
    private String coordinates(String id) {
        return bom.keySet().stream().filter(k -> k.endsWith(":" + id)).findFirst()
                .orElseThrow(() -> new IllegalStateException(id + " is not in the bom line: pick plugins the bom tests"));
    }

    /** The plugins a bom line manages: groupId:artifactId -> version (test classifiers left out). */
    static Map<String, String> bomPlugins(EffectivePom bom) {
        Map<String, String> plugins = new LinkedHashMap<>(bom.managed());
        plugins.keySet().removeIf(k -> k.startsWith("org.jenkins-ci.main:") || k.startsWith("io.jenkins.tools.bom:"));
        return plugins;
    }

    /**
     * Core's detached plugins (core/src/main/resources/jenkins/split-plugins.txt at the core's tag, or its
     * release candidate's): a plugin built for an older core than a split implicitly depends on it.
     */
    static List<String> splits(Git git, String core) {
        String repo = "jenkinsci/jenkins";
        requireClone(git, repo);
        String path = "core/src/main/resources/jenkins/split-plugins.txt";
        String text = git.show(repo, "jenkins-" + core, path).or(() -> git.show(repo, "jenkins-" + core + "-rc", path))
                .orElseThrow(() -> new IllegalStateException(repo + " has no tag jenkins-" + core + " (or -rc)"));
        return text.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    private static void requireClone(Git git, String repo) {
        if (!git.has(repo)) {
            System.out.println("missing clone: " + repo);
            System.exit(3);
        }
    }

    private static Map<String, String> repositories(Path file) throws IOException {
        Map<String, String> map = new TreeMap<>();
        for (String line : meaningful(file)) {
            String[] parts = line.split("\\s+");
            map.put(parts[0], parts[1]);
        }
        return map;
    }

    private static List<String> ids(Path file) throws IOException {
        return meaningful(file).stream().map(l -> l.split("\\s+")[0]).toList();
    }

    private static List<String> meaningful(Path file) throws IOException {
        return Files.readAllLines(file).stream().map(l -> l.replaceAll("#.*", "").strip()).filter(l -> !l.isEmpty()).toList();
    }
}
