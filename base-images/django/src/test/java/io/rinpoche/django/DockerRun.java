package io.rinpoche.django;

import io.rinpoche.testing.Command;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A one-shot `docker run --rm` whose exit code and output the test inspects (start-up failures included). */
record DockerRun(int exitCode, String output) {

    static DockerRun of(String image, Map<String, String> env, String... command) {
        String name = "rinpoche-it-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> argv = new ArrayList<>(List.of("docker", "run", "--rm", "--name", name));
        env.forEach((key, value) -> argv.addAll(List.of("-e", key + "=" + value)));
        argv.add(image);
        argv.addAll(List.of(command));
        try {
            Command run = Command.run(Duration.ofMinutes(2), Map.of(), argv);
            return new DockerRun(run.exitCode(), run.output());
        } catch (IllegalStateException timedOut) {
            Command.run(Duration.ofSeconds(30), Map.of(), List.of("docker", "rm", "-f", name));
            throw timedOut;
        }
    }
}
