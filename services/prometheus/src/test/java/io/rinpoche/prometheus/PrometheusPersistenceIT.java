package io.rinpoche.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;

/** rinpoche/prometheus keeps its samples in the volume: a new container on it answers for the old ones. */
class PrometheusPersistenceIT {

  @Test
  void samplesSurviveARestartOnTheSameVolume() throws Exception {
    String volume = "rinpoche-it-prometheus-" + UUID.randomUUID();
    try {
      String time;
      JsonNode before;
      try (GenericContainer<?> first = Prometheus.onVolume(Prometheus.withConfig(Prometheus.container(),
          Prometheus.SELF_EVERY_SECOND), volume)) {
        first.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> samplesAt(first, now()).size() >= 3);
        time = now();
        before = samplesAt(first, time);
        stopGracefully(first);
      }

      try (GenericContainer<?> second = Prometheus.onVolume(Prometheus.withConfig(Prometheus.container(),
          Prometheus.SELF_EVERY_SECOND), volume)) {
        second.start();

        // The same samples, timestamps and values, for a moment when only the first container existed.
        assertThat(samplesAt(second, time)).isEqualTo(before);
      }
    } finally {
      Prometheus.removeVolume(volume);
    }
  }

  /** The raw samples [timestamp, value] of up{job="prometheus"} in the minute before {@code time}. */
  private static JsonNode samplesAt(GenericContainer<?> prometheus, String time) throws Exception {
    JsonNode result = Prometheus.api(prometheus, "/api/v1/query",
        Map.of("query", "up{job=\"prometheus\"}[1m]", "time", time)).get("result");
    return result.isEmpty() ? result : result.get(0).get("values");
  }

  private static String now() {
    return String.format("%.3f", System.currentTimeMillis() / 1000.0);
  }

  /** docker stop, as compose does: tini passes SIGTERM on and Prometheus closes its TSDB, exiting 0. */
  private static void stopGracefully(GenericContainer<?> prometheus) {
    var docker = DockerClientFactory.instance().client();
    docker.stopContainerCmd(prometheus.getContainerId()).withTimeout(30).exec();
    var state = docker.inspectContainerCmd(prometheus.getContainerId()).exec().getState();
    assertThat(state.getExitCodeLong()).isZero();
    assertThat(prometheus.getLogs()).contains("See you next time!");
  }
}
