package io.rinpoche.nginx;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.zip.GZIPInputStream;
import org.testcontainers.containers.GenericContainer;

/** HTTP requests to the proxy's published port, with replies gunzipped when nginx compressed them. */
final class Http {

    /**
     * Far below nginx's default 60 s proxy_connect_timeout: a proxy that hangs on a gone app fails the
     * test with an HttpTimeoutException instead of answering late.
     */
    static final Duration TIMEOUT = Duration.ofSeconds(8);

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT)
            .build();

    private Http() {
    }

    /** One reply: status, headers and the body as text (decompressed if it came gzipped). */
    record Reply(int status, HttpHeaders headers, String body) {

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    /** GET {@code path} through the proxy; {@code headers} are name, value pairs. */
    static Reply get(GenericContainer<?> proxy, String path, String... headers) {
        return send(request(proxy, path, headers).GET().build());
    }

    /** GET an absolute {@code uri}: another port of a container, such as its metrics. */
    static Reply get(URI uri) {
        return send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build());
    }

    /** A raw HTTP/1.0 GET with its own Host header (java.net.http refuses to set Host): the whole answer as text. */
    static String raw(GenericContainer<?> proxy, String host, String path) throws IOException {
        try (Socket socket = new Socket(proxy.getHost(), proxy.getMappedPort(80))) {
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.0\r\nHost: " + host + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** POST {@code body} to {@code path} through the proxy. */
    static Reply post(GenericContainer<?> proxy, String path, byte[] body) {
        return send(request(proxy, path).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    private static HttpRequest.Builder request(GenericContainer<?> proxy, String path, String... headers) {
        URI uri = URI.create("http://" + proxy.getHost() + ":" + proxy.getMappedPort(80) + path);
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(TIMEOUT);
        return headers.length == 0 ? builder : builder.headers(headers);
    }

    private static Reply send(HttpRequest request) {
        try {
            HttpResponse<InputStream> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream raw = response.body();
                    InputStream body = gzipped(response) ? new GZIPInputStream(raw) : raw) {
                return new Reply(response.statusCode(), response.headers(),
                        new String(body.readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + request.uri(), e);
        }
    }

    private static boolean gzipped(HttpResponse<?> response) {
        return response.headers().firstValue("Content-Encoding").filter("gzip"::equalsIgnoreCase).isPresent();
    }
}
