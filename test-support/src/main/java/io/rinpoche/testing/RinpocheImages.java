package io.rinpoche.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.testcontainers.utility.DockerImageName;

/** The images this repository builds, named as `./platform build` tags them. */
public final class RinpocheImages {

    private RinpocheImages() {
    }

    /** The repository root, from the system property Maven sets (or the working directory). */
    public static Path root() {
        String root = System.getProperty("rinpoche.root");
        if (root != null) {
            return Path.of(root);
        }
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("IMAGE_TAG"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("cannot find the repository root (no IMAGE_TAG above the working directory)");
        }
        return dir;
    }

    /** The tag every image of this repository carries, kept in the root's IMAGE_TAG file. */
    public static String tag() {
        try {
            return Files.readString(root().resolve("IMAGE_TAG")).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read IMAGE_TAG in " + root(), e);
        }
    }

    /** For example {@code image("nginx")} is {@code rinpoche/nginx:<tag>}. */
    public static DockerImageName image(String name) {
        return DockerImageName.parse("rinpoche/" + name + ":" + tag());
    }
}
