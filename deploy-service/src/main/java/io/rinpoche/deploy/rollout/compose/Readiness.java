package io.rinpoche.deploy.rollout.compose;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import io.rinpoche.deploy.rollout.RolloutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;

/**
 * Waits until a started container may take traffic: its health check passed (or, for an image without
 * one, it kept running for a while), and says why not when it exits, turns unhealthy or runs out of time.
 */
final class Readiness {

    /** The answer: {@code ready}, or {@code reason} says why not. */
    record Verdict(boolean ready, String reason) {

        static Verdict ok() {
            return new Verdict(true, "");
        }

        static Verdict no(String reason) {
            return new Verdict(false, reason);
        }
    }

    // Log lines quoted when a container exits, and the most of them a reason quotes (its end).
    private static final int LOG_LINES = 3;
    private static final int MAX_TEXT = 400;

    private final DockerApi docker;
    private final ComposeEngineSettings settings;
    private final Clock clock;

    Readiness(DockerApi docker, ComposeEngineSettings settings, Clock clock) {
        this.docker = docker;
        this.settings = settings;
        this.clock = clock;
    }

    /** Polls the container until it is ready or {@code timeout} has passed. */
    Verdict await(String id, Duration timeout) {
        Instant deadline = clock.instant().plus(timeout);
        while (true) {
            JsonNode container = docker.inspectContainer(id);
            JsonNode state = container.path("State");
            // A restart policy restarts an exiting container: a restart count is an exit too.
            if (!state.path("Running").asBoolean() || state.path("Restarting").asBoolean()
                    || container.path("RestartCount").asInt() > 0) {
                return Verdict.no("container exited with code " + state.path("ExitCode").asInt()
                        + lastLogLine(id, secrets(id, container)));
            }
            JsonNode health = state.path("Health");
            String status = health.path("Status").asString("");
            if (health.isMissingNode() || health.isNull()) {
                Instant started = Instant.parse(state.path("StartedAt").asString());
                if (!clock.instant().isBefore(started.plus(settings.readyWithoutHealthcheck()))) {
                    return Verdict.ok();
                }
            } else if (status.equals("healthy")) {
                return Verdict.ok();
            } else if (status.equals("unhealthy")) {
                return Verdict.no("unhealthy" + lastCheck(health, secrets(id, container)));
            }
            if (!clock.instant().isBefore(deadline)) {
                return Verdict.no("not healthy after " + timeout.toSeconds() + " s" + lastCheck(health, secrets(id, container)));
            }
            sleep(settings.pollInterval());
        }
    }

    // What a reason must not quote: read only when there is a reason, since the files take a request each.
    private EnvSecrets secrets(String id, JsonNode container) {
        return EnvSecrets.of(container).and(EnvSecrets.files(container).stream()
                .flatMap(path -> docker.readFile(id, path).stream()).toList());
    }

    // The output of the newest health check, e.g. ": HTTP 503 from /healthz".
    private static String lastCheck(JsonNode health, EnvSecrets secrets) {
        List<JsonNode> log = new ArrayList<>(health.path("Log").values());
        if (log.isEmpty()) {
            return ": no health check has finished yet";
        }
        JsonNode last = log.get(log.size() - 1);
        String output = lastLine(secrets.redact(last.path("Output").asString("")));
        return ": last check exited " + last.path("ExitCode").asInt() + (output.isEmpty() ? "" : ", " + output);
    }

    private String lastLogLine(String id, EnvSecrets secrets) {
        StringBuilder text = new StringBuilder();
        try {
            docker.client().logContainerCmd(id).withStdOut(true).withStdErr(true).withTail(20)
                    .exec(new ResultCallback.Adapter<Frame>() {
                        @Override
                        public void onNext(Frame frame) {
                            text.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                        }
                    }).awaitCompletion(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RolloutException("interrupted while reading the logs of container " + id, e);
        }
        // The last line alone is often a summary ("not starting: see above"): the three before it say why.
        List<String> lines = secrets.redact(text.toString()).lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
        String last = String.join(" | ", lines.subList(Math.max(0, lines.size() - LOG_LINES), lines.size()));
        return last.isEmpty() ? "" : ": " + shortened(last);
    }

    private static String lastLine(String text) {
        List<String> lines = text.lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
        return lines.isEmpty() ? "" : shortened(lines.get(lines.size() - 1));
    }

    private static String shortened(String text) {
        String line = text.replaceAll("\\p{Cntrl}", "?");
        return line.length() > MAX_TEXT ? "..." + line.substring(line.length() - MAX_TEXT) : line;
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RolloutException("interrupted while waiting for a container", e);
        }
    }
}
