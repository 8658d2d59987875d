package io.rinpoche.nginx;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;

/**
 * The edge metrics (services/nginx/edge): per app of the routes, requests by status and a latency histogram on
 * port 9145, in Prometheus' text format; requests no app answers are not counted; EDGE_METRICS=off turns them off.
 */
class EdgeMetricsIT {

    private static GenericContainer<?> proxy;
    private static Network network;

    @BeforeAll
    static void start() {
        proxy = RoutedApps.get().proxy;
        network = RoutedApps.get().network;
    }

    @Test
    void countsEachAppsRequestsByStatusAndTheirLatency() throws Exception {
        // The proxy is shared with other test classes: what this test's requests add is what counts.
        Map<String, Double> before = scrape();
        repeat(7, "shop.example.com", "/");
        repeat(2, "shop.example.com", "/fail");
        repeat(1, "shop.example.com", "/missing");
        repeat(1, "www.example.com", "/blog/slow");
        repeat(3, "other.example.com", "/");   // the 404 page: no app
        repeat(1, "www.example.com", "/blog");  // the redirect to /blog/: no app either

        String shopCount = "rinpoche_edge_request_duration_seconds_count{app=\"shop\"}";
        Map<String, Double> after = awaitSample(shopCount, before.getOrDefault(shopCount, 0.0) + 10);
        Map<String, Double> samples = new HashMap<>();
        after.forEach((name, value) -> samples.put(name, value - before.getOrDefault(name, 0.0)));
        assertThat(samples).containsEntry("rinpoche_edge_requests_total{app=\"shop\",status=\"200\"}", 7.0)
                .containsEntry("rinpoche_edge_requests_total{app=\"shop\",status=\"500\"}", 2.0)
                .containsEntry("rinpoche_edge_requests_total{app=\"shop\",status=\"404\"}", 1.0)
                .containsEntry("rinpoche_edge_requests_total{app=\"blog\",status=\"200\"}", 1.0)
                .containsEntry("rinpoche_edge_request_duration_seconds_count{app=\"blog\"}", 1.0)
                // blog's one answer took 0.3 s: above the 0.25 s bucket, within 0.5 s.
                .containsEntry("rinpoche_edge_request_duration_seconds_bucket{app=\"blog\",le=\"0.5\"}", 1.0)
                .containsEntry("rinpoche_edge_request_duration_seconds_bucket{app=\"shop\",le=\"+Inf\"}", 10.0);
        assertThat(samples.getOrDefault("rinpoche_edge_request_duration_seconds_bucket{app=\"blog\",le=\"0.25\"}", 0.0)).isZero();
        assertThat(samples.get("rinpoche_edge_request_duration_seconds_sum{app=\"blog\"}")).isBetween(0.3, 2.0);
        // Bounded labels: app and status only, never a path, a host or a client; nothing for the unrouted requests.
        assertThat(samples.keySet()).allMatch(name -> !name.contains("path") && !name.contains("host") && !name.contains("app=\"\""));
        assertThat(proxy.getLogs()).doesNotContain("uninitialized").doesNotContain("[error]");
    }

    @Test
    void edgeMetricsOffLeavesThePortClosedAndTheProxyServing() throws IOException {
        try (GenericContainer<?> plain = RoutedApps.withRoutes(NginxContainers.proxy(network)
                .withEnv("EDGE_METRICS", "off"))) {
            plain.start();

            assertThat(Http.raw(plain, "shop.example.com", "/")).contains("backend=shop");
            assertThat(plain.getLogs()).contains("edge metrics off");
            assertThat(execQuietly(plain, "bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/9145")).isNotZero();
        }
    }

    private static int execQuietly(GenericContainer<?> container, String... command) {
        try {
            return container.execInContainer(command).getExitCode();
        } catch (Exception e) {
            throw new IllegalStateException("exec " + Arrays.toString(command) + " failed", e);
        }
    }

    private static void repeat(int times, String host, String path) throws IOException {
        for (int i = 0; i < times; i++) {
            Http.raw(proxy, host, path);
        }
    }

    /** The samples, once {@code name} has reached {@code value} (each worker syncs its counters every second). */
    private static Map<String, Double> awaitSample(String name, double value) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        Map<String, Double> samples = scrape();
        while (samples.getOrDefault(name, 0.0) < value && System.nanoTime() < deadline) {
            Thread.sleep(200);
            samples = scrape();
        }
        return samples;
    }

    /** GET :9145/metrics, parsed into "name{labels}" -> value. */
    private static Map<String, Double> scrape() {
        String text = Http.get(URI.create("http://" + proxy.getHost() + ":" + proxy.getMappedPort(9145) + "/metrics")).body();
        return text.lines().filter(line -> !line.startsWith("#") && !line.isBlank())
                .collect(Collectors.toMap(line -> line.substring(0, line.lastIndexOf(' ')),
                        line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)), (a, b) -> b));
    }
}
