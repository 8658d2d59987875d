package io.rinpoche.deploy.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The staging app as its users see it, through its nginx: which version answers {@code GET /api/stats}, and
 * a steady background load that counts every request that fails (no answer within 10 s, or not a 200 with a
 * version). The version polls count too.
 */
final class Staging implements AutoCloseable {

    /** When (nanoTime) the version first answered, and from when on only it answered. */
    record Serving(long first, long only) {
    }

    // Consecutive answers from the new version, about one second of polling, that show the old one is gone.
    private static final int STREAK = 40;

    private final URI stats;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final List<Thread> load = new ArrayList<>();
    private volatile boolean running = true;

    Staging(URI base) {
        this.stats = base.resolve("/api/stats");
    }

    /** The version answering now, or null when the request failed (and was counted as failed). */
    String version() throws InterruptedException {
        requests.incrementAndGet();
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(stats).timeout(Duration.ofSeconds(10))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            var node = response.statusCode() == 200
                    ? DeployService.JSON.readTree(response.body()).path("version") : null;
            String version = node != null && node.isString() ? node.asString() : null;
            if (version == null) {
                failed.incrementAndGet();
            }
            return version;
        } catch (IOException | RuntimeException e) {
            failed.incrementAndGet();
            return null;
        }
    }

    /** Polls until only {@code version} answers; fails after {@code timeout}. */
    Serving awaitOnly(String version, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long first = 0;
        long streakStart = 0;
        int streak = 0;
        while (streak < STREAK) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("staging did not serve only " + version + " within " + timeout);
            }
            long start = System.nanoTime();
            boolean isNew = version.equals(version());
            if (isNew && first == 0) {
                first = start;
            }
            streakStart = isNew ? (streak == 0 ? start : streakStart) : 0;
            streak = isNew ? streak + 1 : 0;
            Thread.sleep(20);
        }
        return new Serving(first, streakStart);
    }

    /** Starts {@code clients} threads that request {@code /api/stats} back to back until close. */
    Staging withLoad(int clients) {
        for (int i = 0; i < clients; i++) {
            Thread thread = new Thread(() -> {
                try {
                    while (running) {
                        version();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "staging-load-" + i);
            thread.setDaemon(true);
            load.add(thread);
            thread.start();
        }
        return this;
    }

    long requests() {
        return requests.get();
    }

    long failed() {
        return failed.get();
    }

    /** Stops the load and waits for its last requests. */
    @Override
    public void close() {
        running = false;
        try {
            for (Thread thread : load) {
                thread.join(15_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
