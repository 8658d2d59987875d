package io.rinpoche.jenkinsmaster.plugins;

import java.util.List;
import java.util.Optional;

/**
 * Release tags of a plugin repository: "1511.v2e3cb_0008ef0", "git-5.10.1", "gitlab-plugin-1.9.16", "v1.2".
 * Versions of continuous delivery (JEP-229, "&lt;count&gt;.v&lt;hash&gt;") also name their commit: the part after
 * ".v" without its underscores is an abbreviated commit id, so an untagged release can still be found.
 */
final class Tags {

    private static final java.util.regex.Pattern CD_HASH = java.util.regex.Pattern.compile("\\.v([0-9a-f_]+)$");

    /** A tag (or commit id) and the version it releases. */
    record Release(String tag, String version) {
    }

    /** The commit a JEP-229 version names, if it is one. */
    static Optional<String> commitOf(String version) {
        java.util.regex.Matcher m = CD_HASH.matcher(version == null ? "" : version);
        return m.find() ? Optional.of(m.group(1).replace("_", "")) : Optional.empty();
    }

    private Tags() {
    }

    /** Every release tag with its version. */
    static List<Release> releases(List<String> tags, String id) {
        return tags.stream().map(t -> new Release(t, version(t, id))).filter(r -> r.version() != null).toList();
    }

    /** The version a tag names, or null for tags that are not releases (betas, other artifacts). */
    static String version(String tag, String id) {
        String v = tag;
        for (String prefix : List.of(id + "-plugin-", id + "-", "v")) {
            if (v.startsWith(prefix)) {
                v = v.substring(prefix.length());
                break;
            }
        }
        return v.matches("\\d+(\\.\\d+)*(-\\d+)?(\\.v[0-9a-f_]+)?") ? v : null;
    }
}
