package io.rinpoche.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A rinpoche/socket-proxy container in front of this host's Docker socket, published on a random loopback port:
 * what a test points a Docker client at instead of the socket ({@link #dockerHost()}). {@link #close()} removes it.
 */
public final class SocketProxy implements AutoCloseable {

    private static final Duration START = Duration.ofSeconds(30);

    private final String name;
    private URI url;

    private SocketProxy(String name) {
        this.name = name;
    }

    /** Starts one that allows bind mounts (read-only) under {@code bindDirectories} only; built first when missing. */
    public static SocketProxy start(Path... bindDirectories) {
        String image = "rinpoche/socket-proxy:" + RinpocheImages.tag();
        buildIfMissing(image);
        String run = HexFormat.of().formatHex(ByteBuffer.allocate(4).putInt(new SecureRandom().nextInt()).array());
        SocketProxy proxy = new SocketProxy("rinpoche-socket-proxy-test-" + run);
        try {
            String dirs = Arrays.stream(bindDirectories).map(Path::toString).collect(Collectors.joining(" "));
            Command.docker("run", "-d", "--name", proxy.name, "-e", "BIND_DIRECTORIES=" + dirs,
                    "-v", "/var/run/docker.sock:/var/run/docker.sock", "-p", "127.0.0.1::2375", image);
            String published = Command.docker("port", proxy.name, "2375").get(0);
            proxy.url = URI.create("http://" + published);
            proxy.awaitPing();
            return proxy;
        } catch (RuntimeException | Error e) {
            proxy.close();
            throw e;
        }
    }

    /** {@code tcp://127.0.0.1:<port>}, for DOCKER_HOST or docker-java. */
    public String dockerHost() {
        return "tcp://" + url.getAuthority();
    }

    /** {@code http://127.0.0.1:<port>}, for plain HTTP calls of the Engine API. */
    public URI url() {
        return url;
    }

    /** The container's name. */
    public String name() {
        return name;
    }

    /** Its access log: one line per call, {@code <status> <method> <path> <time> ms <refusal or ->}. */
    public List<String> log() {
        return Command.docker("logs", name).stream().filter(line -> line.matches("[0-9]{3} .*")).toList();
    }

    /** The log lines of the calls it refused. */
    public List<String> refusals() {
        return log().stream().filter(line -> line.startsWith("403 ")).toList();
    }

    /** How often each call passed, ids and names replaced by {id} and image references by {image}. */
    public Map<String, Long> calls() {
        return log().stream().filter(line -> !line.startsWith("403 "))
                .map(line -> line.replaceFirst(" [0-9]+ ms .*$", "").replaceFirst("^[0-9]{3} ", ""))
                .map(call -> call.replaceFirst("/v[0-9.]+/", "/")
                        .replaceFirst("/images/.+/json$", "/images/{image}/json")
                        .replaceFirst("/(containers|networks)/(?!json$|create$)[^/]+", "/$1/{id}"))
                .collect(Collectors.groupingBy(call -> call, TreeMap::new, Collectors.counting()));
    }

    @Override
    public void close() {
        Command.run(Duration.ofMinutes(1), Map.of(), List.of("docker", "rm", "-f", name));
    }

    private static void buildIfMissing(String image) {
        if (Command.run(Duration.ofSeconds(30), Map.of(), List.of("docker", "image", "inspect", image)).exitCode() == 0) {
            return;
        }
        Command built = Command.run(Duration.ofMinutes(10), Map.of(),
                List.of(RinpocheImages.root().resolve("platform").toString(), "build", "socket-proxy"));
        if (built.exitCode() != 0) {
            throw new IllegalStateException("./platform build socket-proxy failed: " + built.output());
        }
    }

    private void awaitPing() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Instant deadline = Instant.now().plus(START);
        String last = "no answer";
        while (Instant.now().isBefore(deadline)) {
            try {
                HttpResponse<String> ping = http.send(HttpRequest.newBuilder(url.resolve("/_ping"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (ping.statusCode() == 200) {
                    return;
                }
                last = ping.statusCode() + " " + ping.body();
            } catch (IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for " + name, e);
            }
            sleep();
        }
        throw new IllegalStateException(name + " did not answer GET /_ping within " + START + " (" + last + "): "
                + Command.run(Duration.ofSeconds(30), Map.of(), List.of("docker", "logs", name)).output());
    }

    private static void sleep() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
