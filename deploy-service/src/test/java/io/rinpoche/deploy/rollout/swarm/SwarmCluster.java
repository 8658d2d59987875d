package io.rinpoche.deploy.rollout.swarm;

import io.rinpoche.testing.Command;
import io.rinpoche.testing.OwnImages;
import io.rinpoche.testing.RinpocheImages;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * A Docker Swarm cluster of its own, for every swarm test of a run: a manager and two workers, each a
 * docker-in-docker container (rinpoche/jenkins-agent, which runs its own dockerd) on a bridge network of its own, and
 * a rinpoche/registry (login required) on that network as {@code registry:5000}, which every node trusts over plain
 * HTTP and the host pushes to at a loopback port. The host's own engine never joins a swarm.
 *
 * <p>Started once, on first use ({@link #get()}), and removed when the JVM ends: its nodes, their storage, the
 * registry, the network and the images pushed. The manager's API is a unix socket in a host directory, its port 8080
 * (host-mode published by a service) a random loopback port.
 */
final class SwarmCluster {

    static final String REGISTRY = "registry:5000";
    static final String REGISTRY_USER = "swarm-it";
    /** The port a stack publishes in host mode on the manager, reachable from the host at {@link #managerPort()}. */
    static final int MANAGER_PORT = 8080;
    /**
     * What docker-in-docker needs where {@code --privileged} is refused (an engine whose bounding set lacks
     * CAP_SYS_RESOURCE answers "unable to apply caps"); see the jenkins-agent image's README.
     */
    private static final List<String> DIND_FLAGS = List.of("--cap-add", "ALL",
            "--security-opt", "seccomp=unconfined", "--security-opt", "apparmor=unconfined",
            "--security-opt", "systempaths=unconfined", "-v", "/sys/fs/cgroup:/sys/fs/cgroup:rw", "-v", "/var/lib/docker");

    private static SwarmCluster cluster;

    final String run = "rsw" + HexFormat.of().formatHex(ByteBuffer.allocate(4).putInt(new SecureRandom().nextInt()).array());
    private final String password = "it-" + UUID.randomUUID();
    private final Path socketDir;
    private final Path dockerConfig;
    private final Path shared;
    private final List<String> pushed = new ArrayList<>();
    private String hostRegistry;

    private SwarmCluster() throws IOException {
        socketDir = Files.createTempDirectory("rinpoche-swarm-");
        dockerConfig = Files.createTempDirectory("rinpoche-swarm-docker-config");
        shared = Files.createTempDirectory("rinpoche-swarm-shared-");
    }

    /** The cluster of this run, started on the first call. */
    static synchronized SwarmCluster get() {
        if (cluster == null) {
            try {
                SwarmCluster started = new SwarmCluster();
                Runtime.getRuntime().addShutdownHook(new Thread(started::close, "swarm-cluster-removal"));
                started.start();
                cluster = started;
            } catch (IOException e) {
                throw new IllegalStateException("cannot start the swarm cluster", e);
            }
        }
        return cluster;
    }

    String manager() {
        return run + "-manager";
    }

    List<String> workers() {
        return List.of(run + "-worker1", run + "-worker2");
    }

    /** The manager's Docker API, for the engine. */
    String managerHost() {
        return "unix://" + socketDir.resolve("docker.sock");
    }

    /**
     * A host directory the manager sees at the same path: a stack's bind mounts on the manager read from it what the
     * tests (and the engine, which runs on the host) write there, e.g. nginx's routes and upstream files.
     */
    Path shared() {
        return shared;
    }

    /** The loopback port of the manager's {@link #MANAGER_PORT}. */
    int managerPort() {
        String published = Command.docker("port", manager(), String.valueOf(MANAGER_PORT)).get(0);
        return Integer.parseInt(published.substring(published.lastIndexOf(':') + 1));
    }

    String registryPassword() {
        return password;
    }

    /** The registry's API as the host reaches it. */
    String hostRegistry() {
        return hostRegistry;
    }

    private void start() {
        long began = System.nanoTime();
        try {
            Command.docker("network", "create", run);
            CompletableFuture<Void> registry = CompletableFuture.runAsync(this::startRegistry);
            node(manager(), List.of("-v", socketDir + ":/run/swarm", "-v", shared + ":" + shared, "-e", "DOCKERD_EXTRA_ARGS=--host=unix:///run/swarm/docker.sock",
                    "-p", "127.0.0.1::" + MANAGER_PORT));
            workers().forEach(worker -> node(worker, List.of()));
            for (String node : nodes()) {
                awaitDocker(node);
            }
            String address = Command.docker("inspect", "-f", "{{(index .NetworkSettings.Networks \"" + run + "\").IPAddress}}",
                    manager()).get(0);
            in(manager(), null, "docker", "swarm", "init", "--advertise-addr", address);
            String token = in(manager(), null, "docker", "swarm", "join-token", "-q", "worker").strip();
            workers().parallelStream().forEach(worker -> in(worker, null, "docker", "swarm", "join", "--token", token,
                    address + ":2377"));
            registry.join();
            for (String node : nodes()) {
                in(node, password, "docker", "login", "--username", REGISTRY_USER, "--password-stdin", REGISTRY);
            }
            System.out.printf("swarm cluster %s: a manager and %d workers up in %.1f s%n", run, workers().size(),
                    (System.nanoTime() - began) / 1e9);
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    List<String> nodes() {
        List<String> nodes = new ArrayList<>(List.of(manager()));
        nodes.addAll(workers());
        return nodes;
    }

    private void node(String name, List<String> extra) {
        List<String> argv = new ArrayList<>(List.of("run", "-d", "--name", name, "--hostname", name.substring(run.length() + 1),
                "--network", run, "-e", "DOCKERD_INSECURE_REGISTRIES=" + REGISTRY));
        argv.addAll(DIND_FLAGS);
        argv.addAll(extra);
        argv.add("rinpoche/jenkins-agent:" + RinpocheImages.tag());
        Command.docker(argv.toArray(String[]::new));
    }

    private void awaitDocker(String node) {
        Command ready = Command.run(Duration.ofSeconds(90), Map.of(), List.of("docker", "exec", node, "with-docker",
                "docker", "info", "--format", "{{.Driver}}"));
        if (ready.exitCode() != 0) {
            throw new IllegalStateException("node " + node + " has no working dockerd: " + ready.output() + "\n"
                    + Command.run(Duration.ofSeconds(10), Map.of(), List.of("docker", "logs", node)).output());
        }
    }

    private void startRegistry() {
        String name = run + "-registry";
        cli(null, "run", "-d", "--name", name, "--network", run, "--network-alias", "registry", "-p", "127.0.0.1::5000",
                "-e", "REGISTRY_USER=" + REGISTRY_USER, "-e", "REGISTRY_PASSWORD",
                "rinpoche/registry:" + RinpocheImages.tag());
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!Command.docker("inspect", "-f", "{{.State.Health.Status}}", name).get(0).equals("healthy")) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("registry " + name + " not healthy within 60 s: " + Command.docker("logs", name));
            }
            sleep(250);
        }
        String published = Command.docker("port", name, "5000").get(0);
        hostRegistry = "127.0.0.1:" + published.substring(published.lastIndexOf(':') + 1);
        cli(password, "login", "--username", REGISTRY_USER, "--password-stdin", hostRegistry);
    }

    /**
     * Pushes the host's image {@code source} into the registry as {@code repositoryAndTag}; returns how the nodes
     * name it ({@code registry:5000/<repositoryAndTag>}).
     */
    String push(String source, String repositoryAndTag) {
        String target = hostRegistry + "/" + repositoryAndTag;
        synchronized (pushed) {
            pushed.add(target);
        }
        cli(null, "tag", source, target);
        cli(null, "push", "-q", target);
        return REGISTRY + "/" + repositoryAndTag;
    }

    /** The manifest digest the registry gave {@code repositoryAndTag} when the host pushed it ({@link #push}). */
    String digest(String repositoryAndTag) {
        String repository = hostRegistry + "/" + repositoryAndTag.substring(0, repositoryAndTag.lastIndexOf(':'));
        String repoDigest = Command.docker("image", "inspect", "-f", "{{range .RepoDigests}}{{println .}}{{end}}",
                        hostRegistry + "/" + repositoryAndTag).stream()
                .filter(line -> line.startsWith(repository + "@")).findFirst()
                .orElseThrow(() -> new IllegalStateException("no registry digest for " + repositoryAndTag));
        return repoDigest.substring(repoDigest.indexOf('@') + 1);
    }

    /** Runs {@code argv} in {@code node} as root, {@code stdin} fed to it; fails unless it exits 0. */
    String in(String node, String stdin, String... argv) {
        List<String> command = new ArrayList<>(List.of("docker", "exec", "-i", "-u", "root", node));
        command.addAll(List.of(argv));
        Command result = Command.run(Duration.ofMinutes(3), Map.of(), command, stdin);
        if (result.exitCode() != 0) {
            throw new IllegalStateException(String.join(" ", argv) + " in " + node + " failed: " + result.output());
        }
        return result.output();
    }

    private String cli(String stdin, String... args) {
        List<String> argv = new ArrayList<>(List.of("docker"));
        argv.addAll(List.of(args));
        // The password reaches docker run and login through the environment or stdin, never a command line.
        Command result = Command.run(Duration.ofMinutes(3), Map.of("DOCKER_CONFIG", dockerConfig.toString(),
                "REGISTRY_PASSWORD", password), argv, stdin);
        if (result.exitCode() != 0) {
            throw new IllegalStateException(argv + " failed: " + result.output());
        }
        return result.output();
    }

    // The host directories first: removing three nodes takes long, and the test JVM may be stopped before it ends.
    private void close() {
        for (Path dir : List.of(socketDir, dockerConfig, shared)) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                System.err.println("cannot remove " + dir + ": " + e);
            }
        }
        List<String> rm = new ArrayList<>(List.of("docker", "rm", "-f", "-v", run + "-registry"));
        rm.addAll(nodes());
        Command.run(Duration.ofMinutes(2), Map.of(), rm);
        Command.run(Duration.ofMinutes(1), Map.of(), List.of("docker", "network", "rm", run));
        OwnImages.remove(pushed);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
