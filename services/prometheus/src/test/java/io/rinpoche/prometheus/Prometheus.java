package io.rinpoche.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Volume;
import io.rinpoche.testing.RinpocheImages;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;

/** The rinpoche/prometheus image in tests: containers, scrape configs, volumes and the HTTP API. */
final class Prometheus {
  static final int PORT = 9090;
  static final String CONFIG_PATH = "/etc/prometheus/test.yml";
  /** Scrapes itself every second, so a test need not wait for the default 15 s. */
  static final String SELF_EVERY_SECOND = """
      global:
        scrape_interval: 1s
      scrape_configs:
        - job_name: prometheus
          static_configs:
            - targets: ["localhost:9090"]
      """;

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final ObjectMapper JSON = new ObjectMapper();

  private Prometheus() {}

  /** A container that counts as started once its own health check (GET /-/ready) says healthy. */
  static GenericContainer<?> container() {
    return new GenericContainer<>(RinpocheImages.image("prometheus"))
        .withExposedPorts(PORT)
        .waitingFor(Wait.forHealthcheck().withStartupTimeout(Duration.ofSeconds(60)));
  }

  /** Puts {@code yaml} into the container (root-owned, mode 644) and names it in PROMETHEUS_CONFIG. */
  static GenericContainer<?> withConfig(GenericContainer<?> container, String yaml) {
    return container.withCopyToContainer(Transferable.of(yaml), CONFIG_PATH).withEnv("PROMETHEUS_CONFIG", CONFIG_PATH);
  }

  /** Mounts the named volume at /prometheus (Docker creates it on first use). */
  static GenericContainer<?> onVolume(GenericContainer<?> container, String volume) {
    return container.withCreateContainerCmdModifier(
        cmd -> cmd.getHostConfig().withBinds(new Bind(volume, new Volume("/prometheus"))));
  }

  static void removeVolume(String volume) {
    DockerClientFactory.instance().client().removeVolumeCmd(volume).exec();
  }

  /** A request to the mapped port; any status is returned as is. */
  static HttpResponse<String> send(GenericContainer<?> container, String method, String path) throws Exception {
    URI uri = URI.create("http://" + container.getHost() + ":" + container.getMappedPort(PORT) + path);
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
        .method(method, HttpRequest.BodyPublishers.noBody()).build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** The {@code data} of a successful GET on the HTTP API, e.g. {@code api(c, "/api/v1/query", Map.of("query", "up"))}. */
  static JsonNode api(GenericContainer<?> container, String path, Map<String, String> parameters) throws Exception {
    String query = parameters.entrySet().stream()
        .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
    HttpResponse<String> response = send(container, "GET", query.isEmpty() ? path : path + "?" + query);
    JsonNode body = JSON.readTree(response.body());
    if (response.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
      throw new IllegalStateException("GET " + path + " answered " + response.statusCode() + ": " + response.body());
    }
    return body.get("data");
  }

  /** The result of an instant query: one element per series, each with {@code metric} and {@code value}. */
  static JsonNode query(GenericContainer<?> container, String promql) throws Exception {
    return api(container, "/api/v1/query", Map.of("query", promql)).get("result");
  }

  /** Runs a shell command in the container (as root) and returns its standard output. */
  static String shell(GenericContainer<?> container, String command) throws Exception {
    var result = container.execInContainer("sh", "-c", command);
    if (result.getExitCode() != 0) {
      throw new IllegalStateException("'" + command + "' exited " + result.getExitCode() + ": " + result.getStderr());
    }
    return result.getStdout();
  }
}
