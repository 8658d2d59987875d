package io.rinpoche.deploy.rollout.compose;

import io.rinpoche.testing.Command;
import io.rinpoche.testing.OwnImages;
import io.rinpoche.testing.RinpocheImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A rinpoche/registry container of its own (htpasswd login, API on a random loopback port, which the host's engine
 * trusts over plain HTTP), and the docker CLI logged in to it with a throw-away {@code DOCKER_CONFIG}. Closing it
 * removes the container, the tags it pushed and the login.
 */
final class TestRegistry implements AutoCloseable {

    static final String USER = "it-user";
    private static final Pattern PUSHED_DIGEST = Pattern.compile("digest: (sha256:[0-9a-f]{64}) size:");

    private final String name = "rinpoche-it-registry-" + UUID.randomUUID().toString().substring(0, 8);
    private final String password = "it-" + UUID.randomUUID();
    private final List<String> tagged = new ArrayList<>();
    private final Path config;
    private String address;

    private TestRegistry() throws IOException {
        config = Files.createTempDirectory("rinpoche-it-docker-config");
    }

    /** Starts it, waits until its health check passes and logs the docker CLI in. */
    static TestRegistry start() throws Exception {
        TestRegistry registry = new TestRegistry();
        try {
            registry.run();
            return registry;
        } catch (Exception | Error e) {
            registry.close();
            throw e;
        }
    }

    private void run() throws InterruptedException {
        cli(null, "run", "-d", "--name", name, "-p", "127.0.0.1::5000", "-e", "REGISTRY_USER=" + USER,
                "-e", "REGISTRY_PASSWORD", "rinpoche/registry:" + RinpocheImages.tag());
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!Command.docker("inspect", "-f", "{{.State.Health.Status}}", name).get(0).equals("healthy")) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("registry " + name + " not healthy within 60 s: " + Command.docker("logs", name));
            }
            Thread.sleep(250);
        }
        String published = Command.docker("port", name, "5000").get(0);
        address = "127.0.0.1:" + published.substring(published.lastIndexOf(':') + 1);
        cli(password, "login", "--username", USER, "--password-stdin", address);
    }

    /** host:port, as image names spell it. */
    String address() {
        return address;
    }

    String password() {
        return password;
    }

    /** Tags {@code source} as {@code <address>/<repositoryAndTag>}, pushes it and returns the manifest digest. */
    String push(String source, String repositoryAndTag) {
        String target = address + "/" + repositoryAndTag;
        tagged.add(target);
        cli(null, "tag", source, target);
        Matcher digest = PUSHED_DIGEST.matcher(cli(null, "push", target));
        if (!digest.find()) {
            throw new IllegalStateException("no digest in the output of docker push " + target);
        }
        return digest.group(1);
    }

    private String cli(String stdin, String... args) {
        List<String> argv = new ArrayList<>(List.of("docker"));
        argv.addAll(List.of(args));
        // The password reaches docker run through the environment, never its command line.
        Command result = Command.run(Duration.ofMinutes(2), Map.of("DOCKER_CONFIG", config.toString(),
                "REGISTRY_PASSWORD", password), argv, stdin);
        if (result.exitCode() != 0) {
            throw new IllegalStateException(argv + " failed: " + result.output());
        }
        return result.output();
    }

    @Override
    public void close() throws IOException {
        Command.run(Duration.ofMinutes(1), Map.of(), List.of("docker", "rm", "-f", "-v", name));
        OwnImages.remove(tagged);
        try (Stream<Path> files = Files.walk(config)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
