package io.rinpoche.jenkinsagent;

import io.rinpoche.testing.Command;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What the Jenkinsfile does, run by hand in a {@link DindAgent}: the app's sources become a git checkout
 * of {@code branch} in the agent, then ci/test, ci/build and ci/push run there against {@code registry}
 * (an address the agent's engine reaches, e.g. {@code registry:5000} on the platform's network; it
 * must be in the agent's DOCKERD_INSECURE_REGISTRIES when it speaks plain HTTP).
 */
public record AgentPipeline(Path appDir, String branch, String registry, String user, String password) {

    private static final String WORKSPACE = "/home/jenkins/agent/workspace/app";
    private static final Duration STEP_TIMEOUT = Duration.ofMinutes(5);

    /** Runs the three steps; returns the references ci/push pushed (none off develop and master). */
    public Result run(DindAgent agent) {
        checkout(agent);
        Map<String, String> env = Map.of("BRANCH_NAME", branch, "REGISTRY", registry,
                "REGISTRY_USER", user, "REGISTRY_PASSWORD", password);
        String test = step(agent, env, "ci/test");
        step(agent, env, "ci/build");
        String push = step(agent, env, "ci/push");
        List<String> pushed = push.lines().filter(line -> line.startsWith(registry + "/")).toList();
        return new Result(test, pushed);
    }

    /** The test step's output (the Django suite's report) and the pushed references. */
    public record Result(String testOutput, List<String> pushed) {
    }

    private void checkout(DindAgent agent) {
        // The Maven module's own files are not the app; tar keeps the scripts' modes.
        agent.run(Duration.ofMinutes(1), "tar -C '" + appDir + "' -c --exclude=./target --exclude=./src --exclude=__pycache__ ."
                + " | docker exec -i -u jenkins " + agent.name() + " bash -c 'mkdir -p " + WORKSPACE + " && tar -C " + WORKSPACE + " -x'");
        String git = "cd " + WORKSPACE + " && git init -q -b " + branch + " && git add -A"
                + " && git -c user.name=ci -c user.email=ci@rinpoche.invalid commit -q -m checkout";
        Command result = agent.exec(Duration.ofMinutes(1), Map.of(), "bash", "-c", git);
        if (result.exitCode() != 0) {
            throw new IllegalStateException("git checkout in " + agent.name() + " failed: " + result.output());
        }
    }

    private static String step(DindAgent agent, Map<String, String> env, String script) {
        Command result = agent.exec(STEP_TIMEOUT, env, "with-docker", "bash", "-c", "cd " + WORKSPACE + " && " + script);
        if (result.exitCode() != 0) {
            throw new IllegalStateException(script + " failed in " + agent.name() + " (exit " + result.exitCode() + "):\n" + result.output());
        }
        return result.output();
    }
}
