package io.rinpoche.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import io.rinpoche.testing.RinpocheImages;
import io.rinpoche.testing.StopsByItself;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.images.builder.Transferable;

/** rinpoche/prometheus refuses a config it cannot use, with a clear message, before Prometheus starts. */
class PrometheusConfigIT {

  @Test
  void brokenConfigStopsWithPromtoolsMessage() {
    String broken = Prometheus.SELF_EVERY_SECOND.replace("scrape_interval: 1s", "scrape_interval: banana");
    try (GenericContainer<?> prometheus = Prometheus.withConfig(plain(), broken)) {
      assertThat(StopsByItself.exitCode(prometheus)).isEqualTo(1);
      assertThat(prometheus.getLogs())
          .contains("FAILED: parsing YAML file " + Prometheus.CONFIG_PATH + ": not a valid duration string: \"banana\"")
          .contains("error: " + Prometheus.CONFIG_PATH + " is not a valid Prometheus config")
          .doesNotContain("Starting Prometheus Server");
    }
  }

  @Test
  void configThePrometheusUserCannotReadIsRefused() {
    // promtool runs as the server's user: a root-only file would pass as root and fail in the server.
    try (GenericContainer<?> prometheus = plain()
        .withCopyToContainer(Transferable.of(Prometheus.SELF_EVERY_SECOND, 0600), Prometheus.CONFIG_PATH)
        .withEnv("PROMETHEUS_CONFIG", Prometheus.CONFIG_PATH)) {
      assertThat(StopsByItself.exitCode(prometheus)).isEqualTo(1);
      assertThat(prometheus.getLogs()).contains("permission denied").doesNotContain("Starting Prometheus Server");
    }
  }

  @Test
  void missingConfigFileIsNamed() {
    try (GenericContainer<?> prometheus = plain().withEnv("PROMETHEUS_CONFIG", "/etc/prometheus/missing.yml")) {
      assertThat(StopsByItself.exitCode(prometheus)).isEqualTo(1);
      assertThat(prometheus.getLogs()).contains("error: PROMETHEUS_CONFIG=/etc/prometheus/missing.yml is not a file");
    }
  }

  @Test
  void retentionFlagPointsToItsVariable() {
    try (GenericContainer<?> prometheus = plain().withCommand("--storage.tsdb.retention.time=1d")) {
      assertThat(StopsByItself.exitCode(prometheus)).isEqualTo(1);
      assertThat(prometheus.getLogs()).contains("error: set PROMETHEUS_RETENTION (time) or PROMETHEUS_RETENTION_SIZE");
    }
  }

  /** PROMETHEUS_SCRAPE_INTERVAL replaces the global scrape and evaluation interval of the mounted config. */
  @Test
  void scrapeIntervalComesFromTheEnvironment() throws Exception {
    String config = Prometheus.SELF_EVERY_SECOND.replace("scrape_interval: 1s", "scrape_interval: 1s\n  evaluation_interval: 1m");
    try (GenericContainer<?> prometheus = Prometheus.withConfig(Prometheus.container(), config)
        .withEnv("PROMETHEUS_SCRAPE_INTERVAL", "3s")) {
      prometheus.start();
      String loaded = Prometheus.api(prometheus, "/api/v1/status/config", Map.of()).get("yaml").asText();

      assertThat(loaded).contains("scrape_interval: 3s", "evaluation_interval: 3s").doesNotContain("scrape_interval: 1s", "evaluation_interval: 1m");
      assertThat(prometheus.getLogs()).contains("scrape and rule evaluation interval 3s (PROMETHEUS_SCRAPE_INTERVAL)");
    }
  }

  @Test
  void badScrapeIntervalIsNamed() {
    try (GenericContainer<?> prometheus = plain().withEnv("PROMETHEUS_SCRAPE_INTERVAL", "5 seconds")) {
      assertThat(StopsByItself.exitCode(prometheus)).isEqualTo(1);
      assertThat(prometheus.getLogs()).contains("error: PROMETHEUS_SCRAPE_INTERVAL must be a whole number with a unit")
          .doesNotContain("Starting Prometheus Server");
    }
  }

  @Test
  void scrapeIntervalNeedsAGlobalBlockToReplace() {
    try (GenericContainer<?> prometheus = Prometheus.withConfig(plain(), Prometheus.SELF_EVERY_SECOND)
        .withEnv("PROMETHEUS_SCRAPE_INTERVAL", "5s")) {
      assertThat(StopsByItself.exitCode(prometheus)).isEqualTo(1);
      assertThat(prometheus.getLogs()).contains("error: PROMETHEUS_SCRAPE_INTERVAL needs both scrape_interval and"
          + " evaluation_interval under global: in " + Prometheus.CONFIG_PATH);
    }
  }

  /** No health wait: these containers are expected to stop by themselves. */
  private static GenericContainer<?> plain() {
    return new GenericContainer<>(RinpocheImages.image("prometheus"));
  }
}
