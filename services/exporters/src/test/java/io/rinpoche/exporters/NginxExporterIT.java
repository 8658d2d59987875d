package io.rinpoche.exporters;

import static org.assertj.core.api.Assertions.assertThat;

import io.rinpoche.testing.RinpocheImages;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;

/** The nginx exporter reads rinpoche/nginx's stub_status at /nginx_status over a shared network. */
class NginxExporterIT {
  static final Network NETWORK = Network.newNetwork();
  /** As in an environment: the exporter finds nginx by its compose service name. */
  static final GenericContainer<?> NGINX = new GenericContainer<>(RinpocheImages.image("nginx"))
      .withNetwork(NETWORK)
      .withNetworkAliases("nginx")
      .withExposedPorts(80)
      .waitingFor(Wait.forHealthcheck());

  @BeforeAll
  static void startNginx() {
    NGINX.start();
  }

  @AfterAll
  static void stopAll() {
    NGINX.stop();
    NETWORK.close();
  }

  @Test
  void defaultScrapeUriReadsNginxStatus() throws Exception {
    try (GenericContainer<?> exporter = Exporters.exporter("nginx").withNetwork(NETWORK)) {
      exporter.start();
      double before = Exporters.value(Exporters.metrics(exporter), "nginx_http_requests_total");

      for (int i = 0; i < 3; i++) {
        getNginxHealth();
      }
      String metrics = Exporters.metrics(exporter);

      assertThat(Exporters.value(metrics, "nginx_up")).isEqualTo(1);
      // The exporter's own connection to nginx is active while it scrapes.
      assertThat(Exporters.value(metrics, "nginx_connections_active")).isGreaterThanOrEqualTo(1);
      assertThat(Exporters.value(metrics, "nginx_http_requests_total")).isGreaterThanOrEqualTo(before + 3);
      assertThat(Exporters.exporterUser(exporter)).isEqualTo("prometheus");
    }
  }

  @Test
  void scrapeUriArgumentWinsOverTheVariable() throws Exception {
    try (GenericContainer<?> exporter = Exporters.exporter("nginx", "--nginx.scrape-uri=http://nginx/nginx_status")
        .withNetwork(NETWORK)
        .withEnv("NGINX_SCRAPE_URI", "http://nginx:81/nothing-here")) {
      exporter.start();

      assertThat(Exporters.value(Exporters.metrics(exporter), "nginx_up")).isEqualTo(1);
    }
  }

  @Test
  void unreachableNginxIsReportedAsDown() throws Exception {
    try (GenericContainer<?> exporter = Exporters.exporter("nginx")
        .withNetwork(NETWORK)
        .withEnv("NGINX_SCRAPE_URI", "http://nginx:81/nothing-here")) {
      exporter.start();

      // The exporter itself stays healthy: a target being down is a metric, not the exporter's health.
      assertThat(Exporters.value(Exporters.metrics(exporter), "nginx_up")).isZero();
      assertThat(exporter.getCurrentContainerInfo().getState().getHealth().getStatus()).isEqualTo("healthy");
    }
  }

  private static void getNginxHealth() throws Exception {
    URI uri = URI.create("http://" + NGINX.getHost() + ":" + NGINX.getMappedPort(80) + "/nginx-health");
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
  }
}
