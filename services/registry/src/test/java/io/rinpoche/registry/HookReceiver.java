package io.rinpoche.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.StreamSupport;

/**
 * A webhook receiver in the test JVM, listening on the gateway address of a Docker network: the host's
 * side of that network, which a registry container on it can reach. It records every request and
 * answers 200, or 503 for as many requests as {@link #failNext} says.
 */
final class HookReceiver implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
  private final AtomicInteger failuresLeft = new AtomicInteger();
  private final InetSocketAddress address;
  private HttpServer server;

  /** One request: its Authorization and Content-Type headers, the parsed envelope, and what was answered. */
  record Delivery(String authorization, String contentType, JsonNode envelope, int status) {
    List<JsonNode> events() {
      return StreamSupport.stream(envelope.path("events").spliterator(), false).toList();
    }
  }

  HookReceiver(String host) {
    server = listen(new InetSocketAddress(host, 0));
    address = server.getAddress();
  }

  String url() {
    return "http://" + address.getHostString() + ":" + address.getPort() + "/hook";
  }

  /** Answers 503 to the next {@code count} requests. */
  void failNext(int count) {
    failuresLeft.set(count);
  }

  /** Stops listening, like a deploy service that is down: connections are refused. */
  void stop() {
    server.stop(0);
  }

  /** Listens again on the same address and port. */
  void restart() {
    server = listen(address);
  }

  /** Every event delivered for the repository, with the status its delivery was answered with. */
  List<Delivery> deliveriesFor(String repository) {
    return deliveries.stream()
        .filter(d -> d.events().stream().anyMatch(e -> repository.equals(e.path("target").path("repository").asText())))
        .toList();
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private HttpServer listen(InetSocketAddress on) {
    try {
      HttpServer http = HttpServer.create(on, 16);
      http.createContext("/hook", this::handle);
      http.start();
      return http;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + on, e);
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      JsonNode envelope = JSON.readTree(exchange.getRequestBody().readAllBytes());
      int status = failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? 503 : 200;
      deliveries.add(new Delivery(exchange.getRequestHeaders().getFirst("Authorization"),
          exchange.getRequestHeaders().getFirst("Content-Type"), envelope, status));
      exchange.sendResponseHeaders(status, -1);
    }
  }
}
