package io.rinpoche.compose;

import io.rinpoche.testing.Command;
import io.rinpoche.testing.OwnImages;
import io.rinpoche.testing.RinpocheImages;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Benchmark (a program, not a test) of the app catalogue on a platform of its own (free ports, own prefix, state and
 * catalogue), printing its figures:
 * <ol>
 *   <li>warm: from {@code ./platform new-app} to the new app serving in staging (new-app, then up);</li>
 *   <li>{@code up} with 5 apps (hello-django and four made by new-app), and the memory of everything running;</li>
 *   <li>push-to-serving of one app in staging while the other four take load, and their failed requests.</li>
 * </ol>
 * Run from the repository root after `./platform build` (warm) and `mvn -q install -DskipTests -pl test-support,catalogue`:
 * <pre>
 * mvn -B -q -f compose/pom.xml test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.rinpoche.compose.AppsBenchmark
 * </pre>
 * Everything it made is removed at the end ({@code down --volumes --yes}).
 */
public final class AppsBenchmark {

    private static final Duration UP = Duration.ofMinutes(20);

    static {
        // Requests carry the app's Host header; before any HTTP client reads the setting.
        System.setProperty("jdk.httpclient.allowRestrictedHeaders", "host");
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private AppsBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String prefix = "rinpoche-bench-" + UUID.randomUUID().toString().substring(0, 6);
        Path state = Files.createTempDirectory("rinpoche-bench-state");
        Path apps = Files.createTempDirectory("rinpoche-bench-apps");
        Files.createDirectories(apps.resolve("hello-django"));
        Files.copy(RinpocheImages.root().resolve("apps/hello-django/app.yaml"), apps.resolve("hello-django/app.yaml"));
        int staging = freePort();
        int registry = freePort();
        Map<String, String> env = new HashMap<>(Map.of("RINPOCHE_PROJECT_PREFIX", prefix, "RINPOCHE_STATE_DIR", state.toString(),
                "RINPOCHE_APPS_DIR", apps.toString(), "PRODUCTION_PORT", String.valueOf(freePort()),
                "STAGING_PORT", String.valueOf(staging), "DEPLOY_PORT", String.valueOf(freePort()),
                "REGISTRY_PORT", String.valueOf(registry), "PROMETHEUS_PORT", String.valueOf(freePort())));
        Platform platform = new Platform(env);
        try {
            check(platform.run(UP, "up"));
            System.out.println("platform up with hello-django");

            long started = System.nanoTime();
            check(platform.run(Duration.ofMinutes(2), "new-app", "bench-a"));
            double newApp = seconds(started);
            check(platform.run(UP, "up"));
            awaitServing(staging, "bench-a.localhost", null);
            System.out.printf("new-app -> serving in staging (warm): %.1f s (new-app %.1f s, up %.1f s)%n",
                    seconds(started), newApp, seconds(started) - newApp);

            for (String name : List.of("bench-b", "bench-c", "bench-d")) {
                check(platform.run(Duration.ofMinutes(2), "new-app", name));
            }
            started = System.nanoTime();
            check(platform.run(UP, "up"));
            System.out.printf("up adding 3 apps (5 in all): %.1f s%n", seconds(started));
            started = System.nanoTime();
            check(platform.run(UP, "up"));
            System.out.printf("up with 5 apps, nothing changed: %.1f s%n", seconds(started));
            System.out.printf("memory of everything running (platform, production, staging): %.0f MiB%n", memoryMiB(prefix));

            pushUnderLoad(platform, apps, staging, registry, state);
        } finally {
            platform.run(Duration.ofMinutes(5), "down", "--volumes", "--yes");
            // What was pushed to its registry and pulled by its deploy service (the same engine), by name.
            OwnImages.removeFromRegistry("127.0.0.1:" + registry);
            for (Path dir : List.of(state, apps)) {
                try (Stream<Path> files = Files.walk(dir)) {
                    files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
                }
            }
        }
    }

    /** Pushes a develop build of bench-a while the other four apps take load in staging. */
    private static void pushUnderLoad(Platform platform, Path apps, int staging, int registry, Path state) throws Exception {
        URI stats = URI.create("http://127.0.0.1:" + staging + "/api/stats");
        List<SteadyLoad> loads = new ArrayList<>();
        loads.add(SteadyLoad.start(stats, 1));
        for (String other : List.of("bench-b", "bench-c", "bench-d")) {
            loads.add(SteadyLoad.start(stats, other + ".localhost", 1));
        }
        String version = "develop-bench1";
        String image = "127.0.0.1:" + registry + "/bench-a:" + version;
        Path config = Files.createTempDirectory("rinpoche-bench-docker");
        Map<String, String> docker = Map.of("DOCKER_CONFIG", config.toString());
        check(Command.run(Duration.ofMinutes(1), docker, List.of("docker", "login", "-u", "rinpoche", "--password-stdin",
                "127.0.0.1:" + registry), secret(state, "REGISTRY_PASSWORD")));
        check(Command.run(Duration.ofMinutes(3), docker, List.of("docker", "build", "-q", "-t", image, "--build-arg",
                "APP_VERSION=" + version, "--build-arg", "BASE_IMAGE=" + RinpocheImages.image("django").asCanonicalNameString(),
                apps.resolve("bench-a").toString())));
        check(Command.run(Duration.ofMinutes(3), docker, List.of("docker", "push", "-q", image)));
        long pushed = System.nanoTime();
        awaitServing(staging, "bench-a.localhost", version);
        double served = seconds(pushed);
        long sent = 0;
        long failed = 0;
        for (SteadyLoad load : loads) {
            load.close();
            sent += load.sent();
            failed += load.failed();
        }
        System.out.printf("push -> serving of bench-a in staging while 4 apps take load: %.1f s; the 4 apps: %d requests, %d failed%n",
                served, sent, failed);
    }

    private static void awaitServing(int port, String host, String version) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/stats"))
                        .header("Host", host).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() == 200 && (version == null || answer.body().contains("\"" + version + "\""))) {
                    return;
                }
            } catch (IOException e) {
                // not yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(host + " did not serve " + version + " within 3 minutes");
    }

    /** The sum of `docker stats` memory of the benchmark's containers. */
    private static double memoryMiB(String prefix) {
        List<String> ids = Command.docker("ps", "-q", "--filter", "label=com.docker.compose.project");
        double total = 0;
        for (String line : Command.docker(Stream.concat(Stream.of("stats", "--no-stream", "--format", "{{.Name}} {{.MemUsage}}"),
                ids.stream()).toArray(String[]::new))) {
            if (line.startsWith(prefix)) {
                total += mib(line.split(" ")[1]);
            }
        }
        return total;
    }

    private static double mib(String usage) {
        double value = Double.parseDouble(usage.replaceAll("[A-Za-z]+$", ""));
        return usage.endsWith("GiB") ? value * 1024 : usage.endsWith("KiB") ? value / 1024 : usage.endsWith("MiB") ? value : value / 1048576;
    }

    private static String secret(Path state, String name) throws IOException {
        return Files.readAllLines(state.resolve("secrets.env")).stream().filter(line -> line.startsWith(name + "="))
                .map(line -> line.substring(name.length() + 1)).findFirst().orElseThrow();
    }

    private static void check(Command command) {
        if (command.exitCode() != 0) {
            throw new IllegalStateException("failed: " + command.output());
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
