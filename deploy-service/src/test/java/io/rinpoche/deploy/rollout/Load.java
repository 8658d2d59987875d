package io.rinpoche.deploy.rollout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Steady HTTP load: {@code clients} threads, each sending {@code GET /api/stats} (or, for the first {@code posting}
 * of them, {@code POST /api/visits}, which nginx never retries on another replica; or another GET) through the proxy as soon as its
 * previous answer came, recording when each request started and ended and which version answered. A request fails
 * when it gets no answer within 10 s or an answer other than 200.
 */
public final class Load implements AutoCloseable {

    private static final Pattern VERSION = Pattern.compile("\"version\":\\s*\"([^\"]+)\"");

    /** One request: nanoTime at start and end, the status (0 when none came) and the version or the error. */
    public record Sample(long start, long end, int status, String version, String error) {

        public boolean failed() {
            return status != 200 || version == null;
        }

        public double seconds() {
            return (end - start) / 1e9;
        }
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final Queue<Sample> samples = new ConcurrentLinkedQueue<>();
    private final List<Thread> clients = new ArrayList<>();
    private volatile boolean running = true;

    private Load(List<HttpRequest> requests) {
        for (int i = 0; i < requests.size(); i++) {
            HttpRequest request = requests.get(i);
            Thread client = new Thread(() -> loop(request), "load-" + i);
            client.setDaemon(true);
            this.clients.add(client);
        }
    }

    /** Starts {@code clients} clients against {@code base}, all sending GET. */
    public static Load start(URI base, int clients) {
        return start(base, clients, 0);
    }

    /** Starts {@code clients} clients against {@code base}, of which {@code posting} send POST. */
    public static Load start(URI base, int clients, int posting) {
        List<HttpRequest> requests = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            requests.add(i < posting
                    ? HttpRequest.newBuilder(base.resolve("/api/visits")).timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.noBody()).build()
                    : HttpRequest.newBuilder(base.resolve("/api/stats")).timeout(Duration.ofSeconds(10)).GET().build());
        }
        return started(requests);
    }

    /** Starts {@code clients} clients sending {@code GET path} (e.g. {@code /api/slow?ms=800}) against {@code base}. */
    public static Load get(URI base, String path, int clients) {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).GET().build();
        return started(Collections.nCopies(clients, request));
    }

    private static Load started(List<HttpRequest> requests) {
        Load load = new Load(requests);
        load.clients.forEach(Thread::start);
        return load;
    }

    private void loop(HttpRequest request) {
        while (running) {
            long start = System.nanoTime();
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                Matcher version = VERSION.matcher(response.body());
                samples.add(new Sample(start, System.nanoTime(), response.statusCode(),
                        version.find() ? version.group(1) : null,
                        response.statusCode() == 200 ? null : request.method() + " " + response.body()));
            } catch (java.io.IOException e) {
                samples.add(new Sample(start, System.nanoTime(), 0, null, request.method() + " " + e));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Everything recorded so far, by start time. */
    public List<Sample> samples() {
        return samples.stream().sorted(Comparator.comparingLong(Sample::start)).toList();
    }

    /** The samples that started at or after {@code from} and before {@code to} (nanoTime). */
    public List<Sample> startedBetween(long from, long to) {
        return samples().stream().filter(s -> s.start() >= from && s.start() < to).toList();
    }

    /** Waits until {@code count} requests that started at or after {@code from} have been answered (at most 10 s). */
    public void awaitAnswersSince(long from, int count) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (samples.stream().filter(s -> s.start() >= from).count() < count && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    /** Stops the clients and waits for their last requests. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Thread client : clients) {
            client.join(15_000);
        }
    }

    /** A one-line account: requests, failures (POST among them), latency percentiles. */
    public static String figures(List<Sample> samples) {
        long failed = samples.stream().filter(Sample::failed).count();
        long failedPosts = failedPosts(samples);
        double[] seconds = samples.stream().mapToDouble(Sample::seconds).sorted().toArray();
        return String.format("%d requests, %d failed (%d POST), latency p50 %.3f s, p99 %.3f s, max %.3f s",
                samples.size(), failed, failedPosts, percentile(seconds, 0.50), percentile(seconds, 0.99),
                seconds.length == 0 ? 0.0 : seconds[seconds.length - 1]);
    }

    public static long failedPosts(List<Sample> samples) {
        return samples.stream().filter(Sample::failed).filter(s -> s.error() != null && s.error().startsWith("POST ")).count();
    }

    public static double percentile(double[] sorted, double p) {
        return sorted.length == 0 ? 0.0 : sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
    }
}
