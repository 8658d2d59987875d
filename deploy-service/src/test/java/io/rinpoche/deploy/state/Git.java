package io.rinpoche.deploy.state;

import io.rinpoche.testing.Command;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The {@code git} command line, as a person working on the state repository would use it. */
public final class Git {

    private Git() {
    }

    /** {@code git -C dir args...}; fails unless it exits 0. Commits are not signed whatever the user's config. */
    public static String run(Path dir, String... args) {
        List<String> argv = new ArrayList<>(List.of("git", "-c", "commit.gpgsign=false", "-C", dir.toString()));
        argv.addAll(List.of(args));
        Command result = Command.run(Duration.ofSeconds(30), Map.of("GIT_CONFIG_NOSYSTEM", "1"), argv);
        if (result.exitCode() != 0) {
            throw new IllegalStateException(String.join(" ", argv) + " failed: " + result.output());
        }
        return result.output();
    }

    public static void write(Path clone, String path, String content) {
        try {
            Files.createDirectories(clone.resolve(path).getParent());
            Files.writeString(clone.resolve(path), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
