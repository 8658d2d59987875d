package io.rinpoche.compose;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/** Clients that GET one URL in a loop until closed, counting answers that are not 200. */
final class SteadyLoad implements AutoCloseable {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final List<Thread> clients = new ArrayList<>();
    private final HttpRequest request;

    private SteadyLoad(URI uri, String host, int clients) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10));
        if (host != null) {
            builder.header("Host", host);   // needs -Djdk.httpclient.allowRestrictedHeaders=host (compose/pom.xml)
        }
        this.request = builder.build();
        for (int i = 0; i < clients; i++) {
            Thread client = new Thread(this::loop, "load-" + i);
            this.clients.add(client);
            client.start();
        }
    }

    static SteadyLoad start(URI uri, int clients) {
        return new SteadyLoad(uri, null, clients);
    }

    /** Load on the app nginx routes {@code host} to. */
    static SteadyLoad start(URI uri, String host, int clients) {
        return new SteadyLoad(uri, host, clients);
    }

    private void loop() {
        while (running.get()) {
            sent.incrementAndGet();
            try {
                if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() != 200) {
                    failed.incrementAndGet();
                }
            } catch (IOException e) {
                failed.incrementAndGet();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    long sent() {
        return sent.get();
    }

    long failed() {
        return failed.get();
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (Thread client : clients) {
            client.join(15_000);
        }
    }
}
