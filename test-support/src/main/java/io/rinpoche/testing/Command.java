package io.rinpoche.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A command run to its end, as a user would run it: its exit code and its output (stdout and stderr). */
public record Command(int exitCode, String output) {

    /** Runs {@code argv} with {@code env} added to this process's environment; fails if it outlives {@code timeout}. */
    public static Command run(Duration timeout, Map<String, String> env, List<String> argv) {
        return run(timeout, env, argv, null);
    }

    /** The same, feeding {@code stdin} (a password, say, which must not be on the command line); null for none. */
    public static Command run(Duration timeout, Map<String, String> env, List<String> argv, String stdin) {
        try {
            // Output to a file, not a pipe: a pipe nobody reads while waiting would block the command.
            Path log = Files.createTempFile("rinpoche-command", ".log");
            try {
                ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile());
                builder.environment().putAll(env);
                Process process = builder.start();
                try (OutputStream in = process.getOutputStream()) {
                    if (stdin != null) {
                        in.write(stdin.getBytes(StandardCharsets.UTF_8));
                    }
                }
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException(argv + " did not finish within " + timeout);
                }
                return new Command(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
            } finally {
                Files.delete(log);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + argv, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + argv, e);
        }
    }

    /** The output lines of a docker CLI command that must succeed. */
    public static List<String> docker(String... args) {
        List<String> argv = new ArrayList<>(List.of("docker"));
        argv.addAll(List.of(args));
        Command result = run(Duration.ofMinutes(2), Map.of(), argv);
        if (result.exitCode() != 0) {
            throw new IllegalStateException(argv + " failed: " + result.output());
        }
        return result.output().lines().filter(line -> !line.isBlank()).toList();
    }
}
