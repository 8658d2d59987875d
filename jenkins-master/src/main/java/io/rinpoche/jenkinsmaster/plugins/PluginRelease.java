package io.rinpoche.jenkinsmaster.plugins;

import java.util.Map;

/**
 * What one plugin release declares, read from its pom at its release tag: the Jenkins core it needs
 * ({@code jenkins.version}) and its plugin dependencies with their minimum versions.
 *
 * @param source       "owner/repo@tag path/pom.xml" it was read from
 * @param bomVersion   the version the chosen jenkinsci/bom line lists, when the pin differs from it (else null)
 */
public record PluginRelease(String id, String version, String jenkins, String source, String bomVersion,
        Map<String, String> dependencies, Map<String, String> optional) {
}
