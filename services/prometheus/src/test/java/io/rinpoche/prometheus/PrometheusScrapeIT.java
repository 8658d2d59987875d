package io.rinpoche.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Volume;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;

/** rinpoche/prometheus with a mounted scrape config scrapes another container by its name on a shared network. */
class PrometheusScrapeIT {
  static final String CONFIG = """
      global:
        scrape_interval: 1s
      scrape_configs:
        - job_name: target
          static_configs:
            - targets: ["target:9090"]
        # Nothing listens there: its up must be 0, so up == 1 above means something.
        - job_name: nothing
          static_configs:
            - targets: ["target:9999"]
      """;

  @TempDir
  Path dir;

  // A bind mount as compose makes it; Testcontainers' withFileSystemBind would first try to pull alpine.
  @Test
  void mountedConfigScrapesAnotherContainerByName() throws Exception {
    Path config = Files.writeString(dir.resolve("prometheus.yml"), CONFIG);
    try (Network network = Network.newNetwork();
        GenericContainer<?> target = Prometheus.container().withNetwork(network).withNetworkAliases("target");
        GenericContainer<?> prometheus = Prometheus.container().withNetwork(network)
            .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig()
                .withBinds(new Bind(config.toString(), new Volume("/etc/prometheus/scrape.yml"), AccessMode.ro)))
            .withEnv("PROMETHEUS_CONFIG", "/etc/prometheus/scrape.yml")) {
      target.start();
      prometheus.start();

      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(upByJob(prometheus))
          .containsEntry("target", "1")
          .containsEntry("nothing", "0"));
      // Without PROMETHEUS_RETENTION the default applies.
      assertThat(Prometheus.api(prometheus, "/api/v1/status/flags", Map.of()).get("storage.tsdb.retention.time").asText())
          .isEqualTo("15d");
    }
  }

  /** The value of {@code up} per job, from /api/v1/query?query=up. */
  private static Map<String, String> upByJob(GenericContainer<?> prometheus) throws Exception {
    Map<String, String> up = new HashMap<>();
    for (JsonNode series : Prometheus.query(prometheus, "up")) {
      up.put(series.get("metric").get("job").asText(), series.get("value").get(1).asText());
    }
    return up;
  }
}
