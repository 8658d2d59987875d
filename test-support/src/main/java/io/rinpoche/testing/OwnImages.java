package io.rinpoche.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Removes the image references a test made, by name. Never by image id and never with {@code --force}: an image
 * id can be shared with images the host runs (a tag of {@code rinpoche/hello-django} pushed to a test's registry
 * is the very image of the host's own app), and the engine itself refuses to remove the last reference of an
 * image a container uses unless forced. So an image goes only with its last name, and only when no container
 * uses it; anything else the host has stays as it was.
 */
public final class OwnImages {

    private static final String NONE = "<none>";

    private OwnImages() {
    }

    /**
     * Removes every tag and digest reference whose repository is under {@code registry} (such as
     * {@code 127.0.0.1:41234}, a registry the test started on a free port). Returns what stayed, with the
     * engine's reason: a reference an outside container still uses.
     */
    public static List<String> removeFromRegistry(String registry) {
        Set<String> references = new LinkedHashSet<>();
        for (String line : Command.docker("images", "--digests", "--format", "{{.Repository}} {{.Tag}} {{.Digest}}")) {
            String[] fields = line.split(" ");
            if (fields[0].startsWith(registry + "/")) {
                references.addAll(references(fields[0], fields[1], fields[2]));
            }
        }
        return remove(references);
    }

    /** Removes each of {@code references} (names, never ids); returns those that stayed, with the engine's reason. */
    public static List<String> remove(Iterable<String> references) {
        List<String> stayed = new ArrayList<>();
        for (String reference : references) {
            Command rm = Command.run(Duration.ofMinutes(1), Map.of(), List.of("docker", "image", "rm", reference));
            // A digest reference goes with the last tag of its repository: it may be gone already.
            if (rm.exitCode() != 0 && !rm.output().contains("No such image")) {
                stayed.add(reference + ": " + rm.output().strip());
            }
        }
        if (!stayed.isEmpty()) {
            System.out.println("left in place (in use outside the test): " + stayed);
        }
        return stayed;
    }

    private static List<String> references(String repository, String tag, String digest) {
        List<String> references = new ArrayList<>();
        if (!tag.equals(NONE)) {
            references.add(repository + ":" + tag);
        }
        if (!digest.equals(NONE)) {
            references.add(repository + "@" + digest);
        }
        return references;
    }
}
