package io.rinpoche.jenkinsagent;

import io.rinpoche.testing.Command;
import io.rinpoche.testing.RinpocheImages;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A running rinpoche/jenkins-agent container with its own dockerd, started the way the master's docker
 * cloud starts one, on a given Docker network. Removed with its /var/lib/docker volume on close.
 */
public final class DindAgent implements AutoCloseable {

    /**
     * What docker-in-docker needs where {@code --privileged} is refused (an engine whose bounding set lacks
     * CAP_SYS_RESOURCE answers "unable to apply caps"): every capability the engine can give, no
     * seccomp/AppArmor confinement, writable /proc and /sys paths and the cgroup tree. Dropping
     * SYS_RESOURCE explicitly is refused by such an engine ("capability not supported"), and --cap-add ALL
     * leaves it out anyway. Never combined with --privileged (see the agent image's README).
     */
    public static final List<String> REDUCED_FLAGS = List.of("--cap-add", "ALL",
            "--security-opt", "seccomp=unconfined", "--security-opt", "apparmor=unconfined",
            "--security-opt", "systempaths=unconfined", "-v", "/sys/fs/cgroup:/sys/fs/cgroup:rw");

    private final String name;

    private DindAgent(String name) {
        this.name = name;
    }

    /**
     * Starts an agent on {@code network} with {@code env} (e.g. DOCKERD_INSECURE_REGISTRIES) and waits
     * until its inner dockerd answers. {@code RINPOCHE_DIND_PRIVILEGED=true} uses --privileged instead.
     */
    public static DindAgent start(String network, Map<String, String> env) {
        String name = "rinpoche-agent-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> argv = new ArrayList<>(List.of("run", "-d", "--name", name, "--network", network,
                "-v", "/var/lib/docker"));
        argv.addAll("true".equals(System.getenv("RINPOCHE_DIND_PRIVILEGED")) ? List.of("--privileged") : REDUCED_FLAGS);
        env.forEach((key, value) -> argv.addAll(List.of("-e", key + "=" + value)));
        argv.add(RinpocheImages.image("jenkins-agent").asCanonicalNameString());
        Command.docker(argv.toArray(String[]::new));
        DindAgent agent = new DindAgent(name);
        Command ready = agent.exec(Duration.ofSeconds(90), Map.of(), "with-docker", "docker", "info", "--format", "{{.Driver}}");
        if (ready.exitCode() != 0) {
            String logs = Command.run(Duration.ofSeconds(10), Map.of(), List.of("docker", "logs", name)).output();
            agent.close();
            throw new IllegalStateException("agent " + name + " has no working dockerd: " + ready.output() + "\n" + logs);
        }
        return agent;
    }

    /** The container's name. */
    public String name() {
        return name;
    }

    /**
     * Runs {@code argv} in the agent as the jenkins user, as the attach connector runs the agent. Every
     * key of {@code env} is passed by name only, so values (passwords) never appear on a command line.
     */
    public Command exec(Duration timeout, Map<String, String> env, String... argv) {
        List<String> command = new ArrayList<>(List.of("docker", "exec", "-u", "jenkins", "-w", "/home/jenkins/agent"));
        env.keySet().forEach(key -> command.addAll(List.of("-e", key)));
        command.add(name);
        command.addAll(List.of(argv));
        return Command.run(timeout, env, command);
    }

    /** The images in the agent's own engine, as repository:tag. */
    public List<String> images() {
        Command listed = exec(Duration.ofSeconds(30), Map.of(), "docker", "images", "--format", "{{.Repository}}:{{.Tag}}");
        if (listed.exitCode() != 0) {
            throw new IllegalStateException("docker images in " + name + " failed: " + listed.output());
        }
        return listed.output().lines().filter(l -> !l.isBlank()).toList();
    }

    /** Runs a host shell pipeline that must succeed (names are ours, never user input). */
    void run(Duration timeout, String script) {
        Command result = Command.run(timeout, Map.of(), List.of("bash", "-o", "pipefail", "-c", script));
        if (result.exitCode() != 0) {
            throw new IllegalStateException("`" + script + "` failed: " + result.output());
        }
    }

    @Override
    public void close() {
        Command.run(Duration.ofMinutes(1), Map.of(), List.of("docker", "rm", "-f", "-v", name));
    }
}
