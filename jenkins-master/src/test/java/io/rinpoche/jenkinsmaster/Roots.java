package io.rinpoche.jenkinsmaster;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository root, found from the module (the folder holding IMAGE_TAG). */
final class Roots {

    private Roots() {
    }

    static Path repository() {
        String root = System.getProperty("rinpoche.root");
        Path dir = root != null ? Path.of(root) : Path.of("").toAbsolutePath();
        while (!Files.exists(dir.resolve("IMAGE_TAG"))) {
            dir = dir.getParent();
        }
        return dir;
    }
}
