package io.rinpoche.exporters;

import io.rinpoche.testing.RinpocheImages;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;

/** The rinpoche/exporters image in tests: one exporter per container, its metrics over the mapped port. */
final class Exporters {
  static final Map<String, Integer> PORTS = Map.of("node", 9100, "nginx", 9113, "mysqld", 9104, "redis", 9121);

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private Exporters() {}

  /** The exporter {@code name} with its arguments; started once the image's own health check says healthy. */
  static GenericContainer<?> exporter(String name, String... args) {
    String[] command = new String[args.length + 1];
    command[0] = name;
    System.arraycopy(args, 0, command, 1, args.length);
    return new GenericContainer<>(RinpocheImages.image("exporters"))
        .withCommand(command)
        .withExposedPorts(PORTS.get(name))
        .waitingFor(Wait.forHealthcheck().withStartupTimeout(Duration.ofSeconds(30)));
  }

  /** GET /metrics on the exporter's port: the exporter scrapes its target for each request. */
  static String metrics(GenericContainer<?> exporter) throws Exception {
    int port = exporter.getExposedPorts().get(0);
    URI uri = URI.create("http://" + exporter.getHost() + ":" + exporter.getMappedPort(port) + "/metrics");
    HttpResponse<String> response = HTTP.send(
        HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("GET " + uri + " answered " + response.statusCode());
    }
    return response.body();
  }

  /** Every sample of the metric {@code name}: series (name and labels) to value, in the order served. */
  static Map<String, Double> samples(String metrics, String name) {
    Map<String, Double> samples = new LinkedHashMap<>();
    metrics.lines()
        .filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{"))
        .forEach(line -> samples.put(line.substring(0, line.lastIndexOf(' ')),
            Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))));
    return samples;
  }

  /** The value of a metric without labels (or of its first series); fails when it is not there. */
  static double value(String metrics, String name) {
    return samples(metrics, name).values().stream().findFirst()
        .orElseThrow(() -> new AssertionError(name + " is not in the metrics:\n" + metrics));
  }

  /** Every process's command line in the container, one per line, as `ps` would show them. */
  static String commandLines(GenericContainer<?> container) throws Exception {
    return container.execInContainer("sh", "-c", "for f in /proc/[0-9]*/cmdline; do tr '\\0' ' ' <$f; echo; done")
        .getStdout();
  }

  /** The user that runs the exporter (a process whose name starts with prometheus-). */
  static String exporterUser(GenericContainer<?> container) throws Exception {
    return container.execInContainer("sh", "-c",
        "for p in /proc/[0-9]*; do case $(cat $p/comm) in prometheus-*) stat -c %U $p;; esac; done")
        .getStdout().strip();
  }
}
