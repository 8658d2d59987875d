package io.rinpoche.registry;

import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.Volume;
import io.rinpoche.testing.RinpocheImages;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;

/** The rinpoche/registry image in tests: containers on loopback ports, volumes and HTTP calls. */
final class Registry {
  static final int API = 5000;
  static final int DEBUG = 5001;
  static final String USER = "it-user";
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

  private Registry() {}

  /** A registry with htpasswd auth that counts as started once its own health check says healthy. */
  static GenericContainer<?> container(String password) {
    return plain().withEnv("REGISTRY_USER", USER).withEnv("REGISTRY_PASSWORD", password)
        .waitingFor(Wait.forHealthcheck().withStartupTimeout(Duration.ofSeconds(60)));
  }

  /**
   * The image with both ports published on 127.0.0.1 only. Testcontainers would publish every exposed
   * port on all interfaces; the host's engine also trusts 127.0.0.0/8 registries over plain HTTP.
   */
  static GenericContainer<?> plain() {
    return new GenericContainer<>(RinpocheImages.image("registry"))
        .withExposedPorts(API, DEBUG)
        .withCreateContainerCmdModifier(cmd -> {
          Ports ports = new Ports();
          ports.add(PortBinding.parse("127.0.0.1::" + API), PortBinding.parse("127.0.0.1::" + DEBUG));
          cmd.getHostConfig().withPublishAllPorts(false).withPortBindings(ports);
          cmd.withExposedPorts(ExposedPort.tcp(API), ExposedPort.tcp(DEBUG));
        });
  }

  /** The image with no ports to wait for: for settings the entrypoint must refuse. */
  static GenericContainer<?> refusing() {
    return new GenericContainer<>(RinpocheImages.image("registry"));
  }

  /** Mounts the named volume at /var/lib/registry (Docker creates it on first use). */
  static GenericContainer<?> onVolume(GenericContainer<?> container, String volume) {
    return container.withCreateContainerCmdModifier(
        cmd -> cmd.getHostConfig().withBinds(new Bind(volume, new Volume("/var/lib/registry"))));
  }

  static void removeVolume(String volume) {
    DockerClientFactory.instance().client().removeVolumeCmd(volume).exec();
  }

  /** host:port of the API as the host's Docker engine and HTTP clients reach it. */
  static String address(GenericContainer<?> registry) {
    return "127.0.0.1:" + registry.getMappedPort(API);
  }

  /** GET on the API port, with basic auth unless password is null. */
  static HttpResponse<String> get(GenericContainer<?> registry, String path, String password) {
    return send(request(URI.create("http://" + address(registry) + path), password).GET().build());
  }

  /** GET on the debug port (health, metrics). */
  static HttpResponse<String> debug(GenericContainer<?> registry, String path) {
    URI uri = URI.create("http://127.0.0.1:" + registry.getMappedPort(DEBUG) + path);
    return send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build());
  }

  /** DELETE on the API port with basic auth. */
  static HttpResponse<String> delete(GenericContainer<?> registry, String path, String password) {
    return send(request(URI.create("http://" + address(registry) + path), password).DELETE().build());
  }

  /** GET of a manifest in the formats docker pushes, so the registry does not convert it. */
  static HttpResponse<String> manifest(GenericContainer<?> registry, String repository, String reference,
      String password) {
    URI uri = URI.create("http://" + address(registry) + "/v2/" + repository + "/manifests/" + reference);
    return send(request(uri, password).header("Accept", String.join(", ", List.of(
        "application/vnd.docker.distribution.manifest.v2+json", "application/vnd.oci.image.manifest.v1+json"))).GET().build());
  }

  /** A blob's bytes. */
  static HttpResponse<byte[]> blob(GenericContainer<?> registry, String repository, String digest, String password) {
    URI uri = URI.create("http://" + address(registry) + "/v2/" + repository + "/blobs/" + digest);
    try {
      // The filesystem driver serves blobs itself; no redirect to follow.
      return HTTP.send(request(uri, password).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (Exception e) {
      throw new IllegalStateException("GET " + uri + " failed", e);
    }
  }

  /** Runs a shell command in the container (as root) and returns its standard output. */
  static String shell(GenericContainer<?> container, String command) throws Exception {
    var result = container.execInContainer("sh", "-c", command);
    if (result.getExitCode() != 0) {
      throw new IllegalStateException("'" + command + "' exited " + result.getExitCode() + ": " + result.getStderr());
    }
    return result.getStdout();
  }

  private static HttpRequest.Builder request(URI uri, String password) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10));
    if (password != null) {
      String credentials = USER + ":" + password;
      builder.header("Authorization",
          "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
    }
    return builder;
  }

  private static HttpResponse<String> send(HttpRequest request) {
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(request.method() + " " + request.uri() + " failed", e);
    }
  }
}
