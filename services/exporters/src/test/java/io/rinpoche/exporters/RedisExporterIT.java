package io.rinpoche.exporters;

import static org.assertj.core.api.Assertions.assertThat;

import io.rinpoche.testing.RinpocheImages;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;

/** The redis exporter logs in to rinpoche/redis with its password, which never shows in `ps` or the log. */
class RedisExporterIT {
  // Quotes, a dollar sign and spaces: the password must pass through unchanged.
  static final String PASSWORD = "it's a \"$redis\" pass " + UUID.randomUUID();
  static final Network NETWORK = Network.newNetwork();
  static final GenericContainer<?> REDIS = new GenericContainer<>(RinpocheImages.image("redis"))
      .withNetwork(NETWORK)
      .withNetworkAliases("redis")
      .withEnv("REDIS_PASSWORD", PASSWORD)
      .waitingFor(Wait.forHealthcheck().withStartupTimeout(Duration.ofSeconds(60)));

  @BeforeAll
  static void startRedis() {
    REDIS.start();
  }

  @AfterAll
  static void stopAll() {
    REDIS.stop();
    NETWORK.close();
  }

  @Test
  void passwordFromAFileOnlyRootCanRead() throws Exception {
    // A root-only secret mount: the entrypoint reads it before it drops root. REDIS_ADDR is the default.
    try (GenericContainer<?> exporter = Exporters.exporter("redis")
        .withNetwork(NETWORK)
        .withEnv("REDIS_PASSWORD_FILE", "/run/secrets/redis")
        .withCopyToContainer(Transferable.of(PASSWORD + "\n", 0400), "/run/secrets/redis")) {
      exporter.start();
      String metrics = Exporters.metrics(exporter);

      assertThat(Exporters.value(metrics, "redis_up")).isEqualTo(1);
      assertThat(Exporters.value(metrics, "redis_connected_clients")).isGreaterThanOrEqualTo(1);
      assertThat(Exporters.exporterUser(exporter)).isEqualTo("prometheus");
      assertThat(Exporters.commandLines(exporter)).contains("prometheus-redis-exporter").doesNotContain(PASSWORD);
      assertThat(exporter.getLogs()).doesNotContain(PASSWORD);
    }
  }

  @Test
  void passwordFromTheEnvironmentAndAnAddress() throws Exception {
    try (GenericContainer<?> exporter = Exporters.exporter("redis")
        .withNetwork(NETWORK)
        .withEnv("REDIS_ADDR", "redis://redis:6379")
        .withEnv("REDIS_PASSWORD", PASSWORD)) {
      exporter.start();

      assertThat(Exporters.value(Exporters.metrics(exporter), "redis_up")).isEqualTo(1);
      assertThat(Exporters.commandLines(exporter)).doesNotContain(PASSWORD);
    }
  }

  @Test
  void wrongPasswordIsReportedAsDown() throws Exception {
    try (GenericContainer<?> exporter = Exporters.exporter("redis")
        .withNetwork(NETWORK)
        .withEnv("REDIS_PASSWORD", "not-" + PASSWORD)) {
      exporter.start();

      assertThat(Exporters.value(Exporters.metrics(exporter), "redis_up")).isZero();
      assertThat(exporter.getLogs()).doesNotContain(PASSWORD);
    }
  }
}
