package io.rinpoche.compose;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A webhook receiver on this host, as a team's would be: Alertmanager posts its notifications here (JSON, one
 * POST per group of alerts). It listens on every address, since Alertmanager comes from a container through
 * host.docker.internal.
 */
final class AlertWebhook implements AutoCloseable {

    private final HttpServer server;
    private final List<String> received = new CopyOnWriteArrayList<>();

    AlertWebhook() throws IOException {
        server = HttpServer.create(new InetSocketAddress(0), 0);
        server.createContext("/alerts", exchange -> {
            received.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
    }

    /** The URL Alertmanager posts to, from inside a container of the platform stack. */
    String url() {
        return "http://host.docker.internal:" + server.getAddress().getPort() + "/alerts";
    }

    /** The bodies received so far. */
    List<String> received() {
        return List.copyOf(received);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
