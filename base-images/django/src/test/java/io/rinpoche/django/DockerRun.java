package io.rinpoche.django;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** A one-shot `docker run --rm` whose exit code and output the test inspects (start-up failures included). */
record DockerRun(int exitCode, String output) {

    static DockerRun of(String image, Map<String, String> env, String... command) {
        String name = "rinpoche-it-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> argv = new ArrayList<>(List.of("docker", "run", "--rm", "--name", name));
        env.forEach((key, value) -> argv.addAll(List.of("-e", key + "=" + value)));
        argv.add(image);
        argv.addAll(List.of(command));
        try {
            // Output to a file, not a pipe: a full pipe would block the container.
            Path log = Files.createTempFile(name, ".log");
            try {
                Process process = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile()).start();
                if (!process.waitFor(2, TimeUnit.MINUTES)) {
                    new ProcessBuilder("docker", "rm", "-f", name).start().waitFor();
                    throw new IllegalStateException("docker run " + image + " did not finish within 2 minutes");
                }
                return new DockerRun(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
            } finally {
                Files.delete(log);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run docker for " + image, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + image, e);
        }
    }
}
