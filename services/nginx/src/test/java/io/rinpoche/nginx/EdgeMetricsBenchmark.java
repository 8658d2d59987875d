package io.rinpoche.nginx;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;

/**
 * Benchmark (a program, not a test) of what the edge metrics cost per request: one app stand-in behind two nginx
 * containers of this image, one with the edge metrics on and one with {@code EDGE_METRICS=off}, loaded in turns by
 * the same closed-loop clients; prints throughput, p50/p99 and nginx's CPU time per request of each side by side,
 * round by round. Run from the
 * repository root after {@code ./platform build nginx} and {@code mvn -q install -DskipTests -pl test-support}:
 * <pre>
 * TESTCONTAINERS_RYUK_DISABLED=true mvn -B -q -f services/nginx/pom.xml test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.rinpoche.nginx.EdgeMetricsBenchmark [-Dexec.args="CLIENTS SECONDS ROUNDS"]
 * </pre>
 * Defaults: 8 clients, 15 s per side and round, 3 rounds. Its containers and network are removed at the end.
 */
public final class EdgeMetricsBenchmark {

    private EdgeMetricsBenchmark() {
    }

    /** One load run: requests answered 200, other answers, each request's latency in nanoseconds, nginx's CPU time. */
    record Run(long ok, long failed, long[] latencies, double seconds, double cpuSeconds) {

        double cpuMicrosPerRequest() {
            return cpuSeconds * 1e6 / Math.max(1, ok + failed);
        }

        double throughput() {
            return ok / seconds;
        }

        double percentileMillis(double p) {
            long[] sorted = latencies.clone();
            Arrays.sort(sorted);
            return sorted.length == 0 ? Double.NaN : sorted[(int) Math.min(sorted.length - 1, p * sorted.length)] / 1e6;
        }
    }

    public static void main(String[] args) throws Exception {
        int clients = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        try (Network network = Network.newNetwork();
                GenericContainer<?> app = NginxContainers.backend(network, "shop", "shop");
                GenericContainer<?> on = proxy(network, "on");
                GenericContainer<?> off = proxy(network, "off")) {
            app.start();
            on.start();
            off.start();
            System.out.printf(Locale.ROOT, "%d clients, %d s per side and round, nginx %s%n", clients, seconds,
                    on.execInContainer("nginx", "-v").getStderr().strip());
            System.out.println("round  metrics  req/s     p50 ms  p99 ms  nginx CPU us/req  failed");
            load(on, clients, 3);   // warm both up: connections, the JIT of the client, LuaJIT's traces
            load(off, clients, 3);
            for (int round = 1; round <= rounds; round++) {
                print(round, "off", load(off, clients, seconds));
                print(round, "on", load(on, clients, seconds));
            }
        }
    }

    private static GenericContainer<?> proxy(Network network, String metrics) {
        return NginxContainers.proxy(network).withEnv("APP_UPSTREAM", "shop:8000").withEnv("EDGE_METRICS", metrics);
    }

    private static void print(int round, String metrics, Run run) {
        System.out.printf(Locale.ROOT, "%5d  %-7s  %8.0f  %6.2f  %6.2f  %16.1f  %d%n", round, metrics, run.throughput(),
                run.percentileMillis(0.50), run.percentileMillis(0.99), run.cpuMicrosPerRequest(), run.failed());
    }

    /** {@code clients} threads, each sending GET / after the previous answer, for {@code seconds}. */
    static Run load(GenericContainer<?> proxy, int clients, int seconds) throws Exception {
        URI uri = URI.create("http://" + proxy.getHost() + ":" + proxy.getMappedPort(80) + "/");
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        double cpuBefore = cpuSeconds(proxy);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<Run>> futures = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            futures.add(pool.submit(() -> client(http, uri, end)));
        }
        long ok = 0;
        long failed = 0;
        List<long[]> all = new ArrayList<>();
        for (Future<Run> future : futures) {
            Run run = future.get();
            ok += run.ok();
            failed += run.failed();
            all.add(run.latencies());
        }
        pool.shutdown();
        return new Run(ok, failed, all.stream().flatMapToLong(Arrays::stream).toArray(), seconds,
                cpuSeconds(proxy) - cpuBefore);
    }

    /**
     * User and system CPU time of nginx's processes (master and workers: /proc/PID/stat fields 14 and 15, in clock
     * ticks of 1/100 s), the cost per request with less noise than throughput on a shared machine.
     */
    static double cpuSeconds(GenericContainer<?> proxy) throws Exception {
        String stats = proxy.execInContainer("bash", "-c", "cat /proc/[0-9]*/stat 2>/dev/null").getStdout();
        long ticks = 0;
        for (String line : stats.split("\n")) {
            if (line.contains("(nginx)")) {
                String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
                ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            }
        }
        return ticks / 100.0;
    }

    private static Run client(HttpClient http, URI uri, long end) {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Http.TIMEOUT).GET().build();
        long ok = 0;
        long failed = 0;
        long[] latencies = new long[1 << 16];
        int n = 0;
        while (System.nanoTime() < end) {
            long start = System.nanoTime();
            try {
                int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status == 200) {
                    ok++;
                } else {
                    failed++;
                }
            } catch (Exception e) {
                failed++;
            }
            if (n == latencies.length) {
                latencies = Arrays.copyOf(latencies, n * 2);
            }
            latencies[n++] = System.nanoTime() - start;
        }
        return new Run(ok, failed, Arrays.copyOf(latencies, n), 0, 0);
    }
}
