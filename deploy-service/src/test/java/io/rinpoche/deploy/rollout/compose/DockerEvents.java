package io.rinpoche.deploy.rollout.compose;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Container events as they happen, from {@code docker events} running in the background from now on:
 * the engine keeps only its last 256 events for later queries, and health checks fill that quickly.
 */
final class DockerEvents implements AutoCloseable {

    private final Path file;
    private final Process process;

    private DockerEvents(Path file, Process process) {
        this.file = file;
        this.process = process;
    }

    /** Starts listening; events since this moment are kept, even those before the stream connected. */
    static DockerEvents start() {
        try {
            Path file = Files.createTempFile("rinpoche-events", ".log");
            String since = String.format("%.3f", System.currentTimeMillis() / 1000.0);
            Process process = new ProcessBuilder(List.of("docker", "events", "--since", since,
                    "--filter", "type=container", "--filter", "event=start", "--filter", "event=die",
                    "--filter", "event=destroy", "--filter", "event=health_status",
                    "--format", "{{.TimeNano}} {{.Actor.Attributes.name}} {{.Action}}"))
                    .redirectErrorStream(true).redirectOutput(file.toFile()).start();
            return new DockerEvents(file, process);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run docker events", e);
        }
    }

    /** The first time (epoch nanoseconds) of each {@code "<container name> <action>"} seen so far. */
    Map<String, Long> firsts() {
        Map<String, Long> at = new HashMap<>();
        try {
            for (String line : Files.readAllLines(file)) {
                String[] parts = line.split(" ", 2);
                if (parts.length == 2 && parts[0].matches("[0-9]+")) {
                    at.putIfAbsent(parts[1], Long.parseLong(parts[0]));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return at;
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        process.waitFor();
        Files.deleteIfExists(file);
    }
}
