package io.rinpoche.deploy.state;

import io.rinpoche.deploy.DeployServiceApplication;
import io.rinpoche.deploy.FakeEngine;
import io.rinpoche.deploy.FakeEngineConfiguration;
import io.rinpoche.deploy.bench.Percentiles;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Commit-plus-acknowledgement latency over HTTP: the shipped deploy service (git state in a fresh repository, a fake
 * engine so that no container is touched) receives registry hooks that match the staging rule; each 202 comes only
 * after its intent commit. Prints p50/p99 of the 202 for 1 and 8 concurrent senders, and the commits it made.
 * The rollouts the hooks queue run meanwhile on the fake engine and commit their outcomes, as they would.
 * Run: {@code mvn -B -q -f deploy-service/pom.xml test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.rinpoche.deploy.state.HookAckBenchmark [-Dexec.args="2000"]}.
 */
public final class HookAckBenchmark {

    private static final String TOKEN = "bench-hook-token-0123456789";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final AtomicInteger EVENTS = new AtomicInteger();

    private HookAckBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int hooks = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        Path dir = Files.createTempDirectory("rinpoche-hook-ack-bench-");
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(DeployServiceApplication.class,
                FakeEngineConfiguration.class).run("--server.port=0", "--rinpoche.state.directory=" + dir.resolve("state"),
                "--rinpoche.state.reconcile-interval=1h", "--HOOK_TOKEN=" + TOKEN,
                "--ADMIN_TOKEN=bench-admin-token-0123456789", "--logging.level.root=WARN")) {
            context.getBean(FakeEngine.class).run("staging", "app", "127.0.0.1:5000/hello-django:develop-0");
            int port = ((WebServerApplicationContext) context).getWebServer().getPort();
            URI uri = URI.create("http://127.0.0.1:" + port + "/hooks/registry");
            send(uri, 1, 200, false);
            send(uri, 1, hooks, true);
            send(uri, 8, hooks, true);
            String commits = Git.run(dir.resolve("state"), "rev-list", "--count", "main").strip();
            System.out.println("state repository: " + commits + " commits (intents and outcomes)");
        }
    }

    private static void send(URI uri, int senders, int count, boolean report) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(senders);
        List<Future<Double>> timings = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            timings.add(pool.submit(() -> post(uri, EVENTS.incrementAndGet())));
        }
        double[] ms = new double[count];
        for (int i = 0; i < count; i++) {
            ms[i] = timings.get(i).get();
        }
        pool.shutdown();
        double seconds = (System.nanoTime() - start) / 1e9;
        if (report) {
            System.out.printf("hook -> intent commit -> 202, %d sender(s): %d hooks in %.1f s (%.0f/s), p50 %.2f ms,"
                    + " p99 %.2f ms, max %.2f ms%n", senders, count, seconds, count / seconds,
                    Percentiles.ofUnsorted(ms, 50), Percentiles.ofUnsorted(ms, 99), Percentiles.ofUnsorted(ms, 100));
        }
    }

    // One distribution push of develop-<n>, with its own digest and event id; anything but 202 stops the run.
    private static double post(URI uri, int n) throws Exception {
        String body = """
                {"events": [{"id": "bench-%d", "timestamp": "2026-11-25T21:10:04Z", "action": "push",
                  "target": {"mediaType": "application/vnd.docker.distribution.manifest.v2+json", "size": 1574,
                             "digest": "sha256:%064x", "repository": "hello-django", "tag": "develop-%d"},
                  "request": {"id": "r-%d", "host": "127.0.0.1:5000", "method": "PUT"}}]}
                """.formatted(n, n, n, n);
        HttpRequest request = HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/vnd.docker.distribution.events.v1+json")
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body)).build();
        long start = System.nanoTime();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        double ms = (System.nanoTime() - start) / 1e6;
        if (response.statusCode() != 202 || !response.body().contains("\"planned\"")) {
            throw new IllegalStateException("hook " + n + ": " + response.statusCode() + " " + response.body());
        }
        return ms;
    }
}
