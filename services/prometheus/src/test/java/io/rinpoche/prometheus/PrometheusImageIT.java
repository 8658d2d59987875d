package io.rinpoche.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/** The contract of rinpoche/prometheus with its default config: health, retention, no lifecycle API, user. */
@Testcontainers
class PrometheusImageIT {
  /** Prints the /proc directory of the prometheus process. */
  static final String FIND_SERVER =
      "for p in /proc/[0-9]*; do [ \"$(cat $p/comm 2>/dev/null)\" = prometheus ] && echo $p; done";

  @Container
  static final GenericContainer<?> PROMETHEUS = Prometheus.container()
      .withEnv("PROMETHEUS_RETENTION", "10d")
      .withEnv("PROMETHEUS_RETENTION_SIZE", "512MB");

  @Test
  void healthCheckAsksReady() {
    var health = PROMETHEUS.getCurrentContainerInfo().getState().getHealth();

    assertThat(health.getStatus()).isEqualTo("healthy");
    assertThat(health.getLog()).last().satisfies(probe -> {
      assertThat(probe.getExitCodeLong()).isZero();
      assertThat(probe.getOutput()).startsWith("healthy: HTTP/1.0 200");
    });
  }

  @Test
  void retentionAndStorageFlagsComeFromTheEnvironment() throws Exception {
    JsonNode flags = Prometheus.api(PROMETHEUS, "/api/v1/status/flags", Map.of());

    // Prometheus prints durations in its own units: "7d" would come back as "1w".
    assertThat(flags.get("storage.tsdb.retention.time").asText()).isEqualTo("10d");
    // Sizes are powers of two: Prometheus reads "512MB" as 512 MiB.
    assertThat(flags.get("storage.tsdb.retention.size").asText()).isEqualTo("512MiB");
    assertThat(flags.get("storage.tsdb.path").asText()).isEqualTo("/prometheus");
    assertThat(flags.get("config.file").asText()).isEqualTo("/etc/prometheus/prometheus.yml");
  }

  @Test
  void lifecycleAndAdminApisAreOff() throws Exception {
    JsonNode flags = Prometheus.api(PROMETHEUS, "/api/v1/status/flags", Map.of());

    assertThat(flags.get("web.enable-lifecycle").asText()).isEqualTo("false");
    assertThat(flags.get("web.enable-admin-api").asText()).isEqualTo("false");
    assertThat(Prometheus.send(PROMETHEUS, "POST", "/-/reload").statusCode()).isEqualTo(403);
    assertThat(Prometheus.send(PROMETHEUS, "POST", "/-/quit").statusCode()).isEqualTo(403);
    assertThat(PROMETHEUS.isRunning()).isTrue();
  }

  @Test
  void defaultConfigScrapesPrometheusItself() throws Exception {
    // Service discovery hands the targets over a few seconds after the start.
    await().atMost(Duration.ofSeconds(15)).until(() -> !targets().isEmpty());
    JsonNode targets = targets();

    assertThat(targets).hasSize(1);
    assertThat(targets.get(0).get("scrapeUrl").asText()).isEqualTo("http://localhost:9090/metrics");
    assertThat(targets.get(0).get("labels").get("job").asText()).isEqualTo("prometheus");
    assertThat(PROMETHEUS.getLogs()).contains("SUCCESS: /etc/prometheus/prometheus.yml is valid");
  }

  private static JsonNode targets() throws Exception {
    return Prometheus.api(PROMETHEUS, "/api/v1/targets", Map.of()).get("activeTargets");
  }

  @Test
  void serverRunsAsThePrometheusUserAndOwnsItsData() throws Exception {
    assertThat(Prometheus.shell(PROMETHEUS, FIND_SERVER + " | xargs stat -c %U").strip()).isEqualTo("prometheus");
    assertThat(Prometheus.shell(PROMETHEUS, "stat -c %U /prometheus/wal").strip()).isEqualTo("prometheus");
  }
}
