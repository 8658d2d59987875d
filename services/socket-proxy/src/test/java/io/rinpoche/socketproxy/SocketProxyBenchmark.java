package io.rinpoche.socketproxy;

import io.rinpoche.testing.SocketProxy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What the socket proxy costs per Docker API call: the same calls straight to the engine's socket and through
 * rinpoche/socket-proxy, taking turns, one new connection each (as the proxy closes every connection): {@code GET
 * /_ping}, {@code GET /containers/{id}/json} of the proxy's own container (the call a rollout makes most, 5 a
 * second while it waits for health), and a refused create. Prints p50/p90/p99 in milliseconds; asserts nothing.
 *
 * <pre>
 * mvn -B -q -f services/socket-proxy/pom.xml test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.rinpoche.socketproxy.SocketProxyBenchmark -Dexec.args="2000"
 * </pre>
 */
public final class SocketProxyBenchmark {

    private static final SocketAddress ENGINE = UnixDomainSocketAddress.of(Path.of("/var/run/docker.sock"));

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        try (SocketProxy proxy = SocketProxy.start()) {
            SocketAddress through = new InetSocketAddress("127.0.0.1", proxy.url().getPort());
            String inspect = "/containers/" + proxy.name() + "/json";
            String privileged = "{\"Image\":\"none\",\"HostConfig\":{\"Privileged\":true}}";
            for (int i = 0; i < 200; i++) { // warm-up: JIT, HAProxy's and the engine's caches
                call(ENGINE, "GET", inspect, null);
                call(through, "GET", inspect, null);
            }
            System.out.printf("%d calls each, one connection per call; ms p50 / p90 / p99%n", rounds);
            compare("GET /_ping", rounds, through, "GET", "/_ping", null);
            compare("GET /containers/{id}/json", rounds, through, "GET", inspect, null);
            System.out.println("POST /containers/create, privileged (refused by the proxy; the engine: no such image)");
            compare("  body checked", rounds, through, "POST", "/containers/create", privileged);
        }
    }

    private static void compare(String what, int rounds, SocketAddress through, String method, String path, String body)
            throws IOException {
        List<Long> direct = new ArrayList<>();
        List<Long> proxied = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            direct.add(call(ENGINE, method, path, body));
            proxied.add(call(through, method, path, body));
        }
        System.out.printf("%-28s socket %s   proxy %s%n", what, percentiles(direct), percentiles(proxied));
    }

    // Nanoseconds from connect to the end of the answer (HTTP/1.0: the server closes after it).
    private static long call(SocketAddress to, String method, String path, String body) throws IOException {
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        String head = method + " " + path + " HTTP/1.0\r\nHost: docker\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + content.length + "\r\n\r\n";
        long start = System.nanoTime();
        try (SocketChannel channel = SocketChannel.open(to)) {
            channel.write(ByteBuffer.wrap(head.getBytes(StandardCharsets.US_ASCII)));
            channel.write(ByteBuffer.wrap(content));
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            while (channel.read(buffer) >= 0) {
                answer.write(buffer.array(), 0, buffer.position());
                buffer.clear();
            }
            if (answer.size() == 0) {
                throw new IOException("no answer from " + to + " to " + method + " " + path);
            }
        }
        return System.nanoTime() - start;
    }

    private static String percentiles(List<Long> nanos) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        return String.format("%.2f / %.2f / %.2f", at(sorted, 0.50), at(sorted, 0.90), at(sorted, 0.99));
    }

    private static double at(List<Long> sorted, double quantile) {
        return sorted.get(Math.min(sorted.size() - 1, (int) (quantile * sorted.size()))) / 1e6;
    }
}
