package io.rinpoche.jenkinsmaster.plugins;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds {@link EffectivePom}s from the repositories' own files at a tag: parents in the same repository,
 * parent poms of other repositories ({@code parents}: "groupId:artifactId" -> owner/name, e.g. the plugin
 * parent pom, jenkinsci/plugin-pom) and imported jenkinsci/bom boms. Other external parents
 * (org.jenkins-ci:jenkins) decide no plugin dependency and are skipped.
 */
final class PomReader {

    static final String BOM_REPO = "jenkinsci/bom";
    static final String PLUGIN_POM_REPO = "jenkinsci/plugin-pom";

    private final Git git;
    private final Map<String, String> parents;

    PomReader(Git git, Map<String, String> parents) {
        this.git = git;
        this.parents = new HashMap<>(parents);
        this.parents.put("org.jenkins-ci.plugins:plugin", PLUGIN_POM_REPO);
    }

    /** The pom at {@code path} of {@code repo} at {@code ref}, whose project version is {@code version}. */
    EffectivePom read(String repo, String ref, String path, String version) {
        Pom pom = Pom.parse(git.show(repo, ref, path).orElseThrow(() ->
                new IllegalStateException(repo + "@" + ref + " has no " + path)));
        EffectivePom parent = parent(repo, ref, path, pom, version);
        EffectivePom partial = EffectivePom.of(pom, parent, version, List.of());
        List<EffectivePom> imports = new ArrayList<>();
        for (Pom.Dependency d : pom.managed()) {
            if (d.isImport() && "io.jenkins.tools.bom".equals(partial.interpolate(d.groupId()))) {
                String bomVersion = partial.interpolate(d.version());
                imports.add(read(BOM_REPO, bomRef(bomVersion), partial.interpolate(d.artifactId()) + "/pom.xml", bomVersion));
            }
        }
        return EffectivePom.of(pom, parent, version, imports);
    }

    /** A bom release's tag, or its commit when the release was not tagged. */
    private String bomRef(String version) {
        return git.tags(BOM_REPO).contains(version) ? version : Tags.commitOf(version).orElse(version);
    }

    private EffectivePom parent(String repo, String ref, String path, Pom pom, String version) {
        Pom.Parent parent = pom.parent();
        if (parent == null) {
            return null;
        }
        Optional<String> local = localParent(repo, ref, path, parent);
        if (local.isPresent()) {
            return read(repo, ref, local.get(), version);
        }
        String parentRepo = parents.get(parent.groupId() + ":" + parent.artifactId());
        if (parentRepo == null) {
            return null;
        }
        // Tagged as the bare version, or as "<artifactId>-<version>" (plugin-5.9).
        List<String> tags = git.tags(parentRepo);
        String tag = tags.contains(parent.version()) ? parent.version() : parent.artifactId() + "-" + parent.version();
        return read(parentRepo, tag, "pom.xml", parent.version());
    }

    /** The parent's path in the same tree, when it is there (relativePath, default ../pom.xml). */
    private Optional<String> localParent(String repo, String ref, String path, Pom.Parent parent) {
        String relative = parent.relativePath() == null ? "../pom.xml" : parent.relativePath();
        if (relative.isEmpty()) {
            return Optional.empty();
        }
        Path dir = Path.of(path).getParent();
        Path candidate = (dir == null ? Path.of(relative) : dir.resolve(relative)).normalize();
        if (!candidate.toString().endsWith(".xml")) {
            candidate = candidate.resolve("pom.xml");
        }
        if (candidate.startsWith("..")) {
            return Optional.empty();
        }
        String file = candidate.toString();
        return git.show(repo, ref, file).map(Pom::parse)
                .filter(p -> parent.artifactId().equals(p.artifactId())).map(p -> file);
    }
}
