package io.rinpoche.deploy.rollout.compose;

import io.rinpoche.deploy.rollout.RolloutStack;
import io.rinpoche.testing.Command;
import io.rinpoche.testing.OwnImages;
import io.rinpoche.testing.RinpocheImages;
import io.rinpoche.testing.Ports;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
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
import java.util.stream.Stream;

/**
 * A Docker engine of its own that a test may break: a docker-in-docker container (rinpoche/jenkins-agent, which runs
 * its own dockerd) whose API is a unix socket in a host directory ({@link #dockerHost()}), so that its dockerd can be
 * restarted and its registry stopped without touching the host's engine. Inside it run:
 * <ul>
 *   <li>a rinpoche/registry (login required, restart policy {@code always}) published on port P inside and
 *       outside: images are named {@code 127.0.0.1:P/...} on both sides (loopback registries are plain HTTP for
 *       Docker), the host pushes there, and the inner engine pulls from there;</li>
 *   <li>a compose project {@code <prefix>-it} as the platform runs an environment (nginx and app, with compose/app's
 *       restart policies, {@code src/test/resources/rollout/dind-compose.yaml}), nginx published on the host's
 *       loopback ({@link #url()}). Its folder is mounted at the same path inside, so that the compose file's bind
 *       mounts, and nginx's upstream files the engine writes, are the same files on both sides.</li>
 * </ul>
 * The app's images (v1, the stack's first) are rinpoche/hello-django with one line changed, built on the host and
 * pushed; the inner engine holds no app image until it pulls one. {@link #close()} removes all of it.
 */
final class DindEngine implements AutoCloseable {

    static final String USER = "dind-it";
    /** The repository the app's images are pushed to, the hook rule's ({@link DeployServiceProcess#HOOK_REPOSITORY}). */
    static final String REPOSITORY = DeployServiceProcess.HOOK_REPOSITORY;
    /** What docker-in-docker needs where {@code --privileged} is refused; see the jenkins-agent image's README. */
    private static final List<String> DIND_FLAGS = List.of("--cap-add", "ALL",
            "--security-opt", "seccomp=unconfined", "--security-opt", "apparmor=unconfined",
            "--security-opt", "systempaths=unconfined", "-v", "/sys/fs/cgroup:/sys/fs/cgroup:rw", "-v", "/var/lib/docker");

    final String run = "rdi" + HexFormat.of().formatHex(ByteBuffer.allocate(4).putInt(new SecureRandom().nextInt()).array());
    private final String password = "it-" + UUID.randomUUID();
    private final Path dir;
    private final Path socketDir;
    private final Path dockerConfig;
    private final int registryPort = Ports.free();
    private final List<String> built = new ArrayList<>();
    private URI url;

    private DindEngine() throws IOException {
        dir = Files.createTempDirectory("rinpoche-dind-").toRealPath();
        socketDir = Files.createDirectories(dir.resolve("socket"));
        dockerConfig = Files.createDirectories(dir.resolve("docker-config"));
    }

    /** Starts the engine, its registry and the stack on v1; on failure removes what it made. */
    static DindEngine start() throws Exception {
        DindEngine engine = new DindEngine();
        try {
            long began = System.nanoTime();
            engine.startEngine();
            engine.startRegistry();
            engine.push(engine.build("v1", ""), "v1");
            engine.up();
            System.out.printf("dind engine %s: engine, registry and stack up in %.1f s%n", engine.run,
                    (System.nanoTime() - began) / 1e9);
            return engine;
        } catch (Exception | Error e) {
            engine.close();
            throw e;
        }
    }

    /** The inner engine's API, for DOCKER_HOST. */
    String dockerHost() {
        return "unix://" + socketDir.resolve("docker.sock");
    }

    /** host:port of the registry, as images are named on both sides. */
    String registry() {
        return "127.0.0.1:" + registryPort;
    }

    String password() {
        return password;
    }

    /** The prefix that makes environment {@code it} this stack's compose project. */
    String projectPrefix() {
        return run;
    }

    String project() {
        return run + "-it";
    }

    /** The directory the engine writes nginx's upstream files to (PROXY_UPSTREAMS). */
    String upstreams() {
        return dir.resolve("upstreams").toString();
    }

    /** nginx, as the host reaches it. */
    URI url() {
        return url;
    }

    /**
     * Builds the app's image {@code version} on the host (v1 plus {@code dockerfileLines}), pushes it as
     * {@code <registry>/<REPOSITORY>:<tag>} and returns its manifest digest.
     */
    String push(String version, String extraDockerfile, String tag) throws IOException {
        return push(build(version, extraDockerfile), tag);
    }

    /** {@code docker <args>} against the inner engine; fails unless it exits 0. */
    String docker(String... args) {
        List<String> argv = new ArrayList<>(List.of("docker"));
        argv.addAll(List.of(args));
        return cli(null, argv);
    }

    /** The app's containers in the inner engine (any state) matching the filters, by name. */
    List<String> containers(String... filters) {
        List<String> argv = new ArrayList<>(List.of("docker", "ps", "-a", "--format", "{{.Names}} {{.Image}} {{.State}}"));
        for (String filter : filters) {
            argv.addAll(List.of("--filter", filter));
        }
        return cli(null, argv).lines().filter(line -> !line.isBlank()).toList();
    }

    /**
     * Restarts the inner dockerd as a service manager would: SIGTERM (it stops its containers), waits for it to exit,
     * and starts it again with the same arguments. Returns once it answers again.
     */
    void restartDockerd() {
        Command restarted = Command.run(Duration.ofMinutes(3), Map.of(), List.of("docker", "exec", run, "sh", "-c",
                "pid=$(pidof dockerd); args=$(tr '\\0' ' ' </proc/$pid/cmdline); kill $pid; "
                        // Its parent (the entrypoint exec'd into `sleep`) never reaps it: gone or a zombie is done.
                        + "while [ -e /proc/$pid ] && ! grep -q '^State:.*Z' /proc/$pid/status; do sleep 0.1; done; "
                        + "setsid $args </dev/null >>/var/log/dockerd.log 2>&1 & "
                        + "until docker version >/dev/null 2>&1; do sleep 0.2; done"));
        if (restarted.exitCode() != 0) {
            throw new IllegalStateException("restarting dockerd failed: " + restarted.output());
        }
    }

    /** The inner dockerd's log lines about restarting, stopping or failing containers, for a failed test. */
    String diagnosis() {
        return Command.run(Duration.ofSeconds(30), Map.of(), List.of("docker", "exec", run, "sh", "-c",
                "grep -iE 'restart|shutdown|error|fail|stop' /var/log/dockerd.log | grep -v 'loading plugin' | tail -40"))
                .output();
    }

    private void startEngine() {
        Command.docker(withFlags("run", "-d", "--name", run, "-v", dir + ":" + dir,
                "-e", "DOCKERD_EXTRA_ARGS=--host=" + dockerHost(), "-p", "127.0.0.1:" + registryPort + ":" + registryPort,
                "-p", "127.0.0.1::8080", "rinpoche/jenkins-agent:" + RinpocheImages.tag()));
        Command ready = Command.run(Duration.ofSeconds(90), Map.of(), List.of("docker", "exec", run, "with-docker",
                "docker", "info", "--format", "{{.Driver}}"));
        if (ready.exitCode() != 0) {
            throw new IllegalStateException("dind engine " + run + " has no working dockerd: " + ready.output());
        }
        // The images the stack runs, from the host's engine (nothing is pulled from outside).
        String images = "rinpoche/registry:" + RinpocheImages.tag() + " rinpoche/nginx:" + RinpocheImages.tag();
        Command loaded = Command.run(Duration.ofMinutes(5), Map.of("DOCKER_HOST", dockerHost()), List.of("sh", "-c",
                "DOCKER_HOST= docker save " + images + " | docker load -q"));
        if (loaded.exitCode() != 0) {
            throw new IllegalStateException("cannot load the images into " + run + ": " + loaded.output());
        }
    }

    private String[] withFlags(String... args) {
        List<String> argv = new ArrayList<>(List.of(args).subList(0, 2));
        argv.addAll(DIND_FLAGS);
        argv.addAll(List.of(args).subList(2, args.length));
        return argv.toArray(String[]::new);
    }

    private void startRegistry() throws InterruptedException {
        docker("run", "-d", "--name", "registry", "--restart", "always", "-p", registryPort + ":5000",
                "-e", "REGISTRY_USER=" + USER, "-e", "REGISTRY_PASSWORD", "rinpoche/registry:" + RinpocheImages.tag());
        awaitRegistry();
        // The host's CLI, with a throw-away login, pushes there.
        Command login = Command.run(Duration.ofMinutes(1), Map.of("DOCKER_CONFIG", dockerConfig.toString()),
                List.of("docker", "login", "--username", USER, "--password-stdin", registry()), password);
        if (login.exitCode() != 0) {
            throw new IllegalStateException("docker login " + registry() + " failed: " + login.output());
        }
    }

    /** Waits until the registry's health check passes. */
    void awaitRegistry() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!docker("inspect", "-f", "{{.State.Health.Status}}", "registry").strip().equals("healthy")) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("registry in " + run + " not healthy within 60 s");
            }
            Thread.sleep(250);
        }
    }

    private String build(String version, String extraDockerfile) throws IOException {
        String image = run + "/app:" + version;
        Path context = Files.createDirectories(dir.resolve("images").resolve(version));
        Files.writeString(context.resolve("Dockerfile"), "FROM rinpoche/hello-django:" + RinpocheImages.tag()
                + "\nUSER root\nRUN mkdir /data && chown app:app /data\nUSER app\nENV APP_VERSION=" + version + "\n"
                + extraDockerfile);
        built.add(image);
        Command.docker("build", "-q", "-t", image, context.toString());
        return image;
    }

    private String push(String image, String tag) {
        String target = registry() + "/" + REPOSITORY + ":" + tag;
        built.add(target);
        Command.docker("tag", image, target);
        Command pushed = Command.run(Duration.ofMinutes(5), Map.of("DOCKER_CONFIG", dockerConfig.toString()),
                List.of("docker", "push", target));
        java.util.regex.Matcher digest = java.util.regex.Pattern.compile("digest: (sha256:[0-9a-f]{64})")
                .matcher(pushed.output());
        if (pushed.exitCode() != 0 || !digest.find()) {
            throw new IllegalStateException("docker push " + target + " failed: " + pushed.output());
        }
        return digest.group(1);
    }

    private void up() throws IOException {
        try (InputStream compose = DindEngine.class.getResourceAsStream("/rollout/dind-compose.yaml")) {
            Files.write(dir.resolve("compose.yaml"), compose.readAllBytes());
        }
        Files.writeString(dir.resolve("app-secret-key"), "dind-secret-" + run);
        Files.createDirectories(dir.resolve("upstreams").resolve("it"));
        Files.createDirectories(dir.resolve("routes"));
        Files.writeString(dir.resolve("routes").resolve("app.conf"), RolloutStack.NGINX_ROUTE);
        compose("up", "-d", "--wait", "--quiet-pull");
        String published = Command.docker("port", run, "8080").get(0);
        url = URI.create("http://" + published);
    }

    private String compose(String... args) {
        List<String> argv = new ArrayList<>(List.of("docker", "compose", "-p", project(), "-f",
                dir.resolve("compose.yaml").toString()));
        argv.addAll(List.of(args));
        return cli(null, argv);
    }

    private String cli(String stdin, List<String> argv) {
        Command result = Command.run(Duration.ofMinutes(3), Map.of("DOCKER_HOST", dockerHost(),
                "DOCKER_CONFIG", dockerConfig.toString(), "REGISTRY_PASSWORD", password, "RINPOCHE_TAG",
                RinpocheImages.tag(), "APP_IMAGE", registry() + "/" + REPOSITORY + ":v1"), argv, stdin);
        if (result.exitCode() != 0) {
            throw new IllegalStateException(String.join(" ", argv) + " failed: " + result.output());
        }
        return result.output();
    }


    @Override
    public void close() {
        // The inner engine's containers, images and volumes go with it (its storage is an anonymous volume).
        Command.run(Duration.ofMinutes(2), Map.of(), List.of("docker", "rm", "-f", "-v", run));
        OwnImages.remove(built);
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            System.err.println("cannot remove " + dir + ": " + e);
        }
    }
}
