package io.rinpoche.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import io.rinpoche.testing.RinpocheImages;
import io.rinpoche.testing.StopsByItself;
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

  /** No health wait: these containers are expected to stop by themselves. */
  private static GenericContainer<?> plain() {
    return new GenericContainer<>(RinpocheImages.image("prometheus"));
  }
}
