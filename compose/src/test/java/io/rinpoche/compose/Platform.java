package io.rinpoche.compose;

import io.rinpoche.testing.RinpocheImages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the repository's `./platform` script (or any command) as a user would, capturing its output. */
final class Platform {

    /** What one run printed and how it ended. */
    record Run(int exitCode, String output) {
    }

    private final Map<String, String> environment;

    Platform(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    Run run(Duration timeout, String... args) {
        List<String> command = new ArrayList<>();
        command.add(RinpocheImages.root().resolve("platform").toString());
        command.addAll(List.of(args));
        return exec(timeout, environment, command);
    }

    static Run exec(Duration timeout, Map<String, String> environment, List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        try {
            Process process = builder.start();
            // Reading to the end returns when the process closes its output, i.e. when it ends.
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(command + " timed out");
            }
            return new Run(process.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + command, e);
        }
    }

    /** The output lines of a docker CLI command that must succeed. */
    static List<String> docker(String... args) {
        List<String> command = new ArrayList<>(List.of("docker"));
        command.addAll(List.of(args));
        Run run = exec(Duration.ofMinutes(2), Map.of(), command);
        if (run.exitCode() != 0) {
            throw new IllegalStateException(command + " failed: " + run.output());
        }
        return run.output().lines().filter(line -> !line.isBlank()).toList();
    }
}
