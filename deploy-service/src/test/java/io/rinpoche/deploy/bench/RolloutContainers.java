package io.rinpoche.deploy.bench;

import io.rinpoche.testing.Command;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * The containers the deploy service's rollouts create in one compose project (label
 * {@code io.rinpoche.rollout.project}), watched through {@code docker events} from now on: the engine keeps
 * only its last 256 events, which health checks fill quickly, so they are recorded as they happen.
 */
final class RolloutContainers implements AutoCloseable {

    /** A container's own time-to-healthy: from its start to its first passing health check. */
    record Healthy(String name, Instant started, Duration toHealthy) {
    }

    private final Path file;
    private final Process process;

    private RolloutContainers(Path file, Process process) {
        this.file = file;
        this.process = process;
    }

    static RolloutContainers watch(String project) {
        try {
            Path file = Files.createTempFile("rinpoche-bench-events", ".log");
            String since = String.format("%.3f", System.currentTimeMillis() / 1000.0);
            Process process = new ProcessBuilder(List.of("docker", "events", "--since", since,
                    "--filter", "type=container", "--filter", "label=io.rinpoche.rollout.project=" + project,
                    "--filter", "event=start", "--filter", "event=health_status",
                    "--format", "{{.TimeNano}} {{index .Actor.Attributes \"io.rinpoche.rollout.role\"}}"
                            + " {{.Actor.Attributes.name}} {{.Action}}"))
                    .redirectErrorStream(true).redirectOutput(file.toFile()).start();
            return new RolloutContainers(file, process);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run docker events", e);
        }
    }

    /** The first container of {@code role} (probe or replica) started after {@code after}, from Docker's events. */
    Optional<Healthy> fromEvents(String role, Instant after) {
        List<String[]> events = events();
        long afterNanos = after.getEpochSecond() * 1_000_000_000L + after.getNano();
        for (String[] start : events) {
            if (start[1].equals(role) && start[3].equals("start") && Long.parseLong(start[0]) >= afterNanos) {
                long started = Long.parseLong(start[0]);
                return events.stream().filter(e -> e[2].equals(start[2]) && e[3].equals("health_status: healthy"))
                        .map(e -> Long.parseLong(e[0])).filter(t -> t >= started).findFirst()
                        .map(t -> new Healthy(start[2], Instant.ofEpochSecond(0, started), Duration.ofNanos(t - started)));
            }
        }
        return Optional.empty();
    }

    /**
     * The same from {@code docker inspect}: State.StartedAt to the end of the first passing check in
     * State.Health.Log. Empty when the log (Docker keeps five entries) no longer holds a failing or first check.
     */
    static Optional<Duration> fromInspect(String container) {
        JsonNode state = DeployService.JSON.readTree(String.join("\n", Command.docker("inspect", container)))
                .get(0).path("State");
        Instant started = Instant.parse(state.path("StartedAt").asString());
        JsonNode log = state.path("Health").path("Log");
        for (int i = 0; i < log.size(); i++) {
            if (log.get(i).path("ExitCode").asInt(-1) == 0) {
                // A passing oldest entry of a full log may not be the first passing check.
                boolean certain = i > 0 || log.size() < 5;
                return certain ? Optional.of(Duration.between(started, Instant.parse(log.get(i).path("End").asString())))
                        : Optional.empty();
            }
        }
        return Optional.empty();
    }

    // "<epoch nanos> <role> <name> <action...>" per line.
    private List<String[]> events() {
        try {
            return Files.readAllLines(file).stream().map(line -> line.split(" ", 4)).filter(parts -> parts.length == 4
                    && parts[0].matches("[0-9]+")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Files.deleteIfExists(file);
    }
}
