package io.rinpoche.exporters;

import static org.assertj.core.api.Assertions.assertThat;

import io.rinpoche.testing.RinpocheImages;
import io.rinpoche.testing.StopsByItself;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;

/** How rinpoche/exporters refuses a missing choice or missing credentials: at once, with a clear message. */
class ExportersEntrypointIT {

  @Test
  void withoutAnExporterItPrintsUsageAndFails() {
    try (GenericContainer<?> container = plain()) {
      assertThat(StopsByItself.exitCode(container)).isEqualTo(2);
      assertThat(container.getLogs()).contains("usage: docker run rinpoche/exporters").contains("mysqld");
    }
  }

  @Test
  void anUnknownExporterIsNamed() {
    try (GenericContainer<?> container = plain().withCommand("postgres")) {
      assertThat(StopsByItself.exitCode(container)).isEqualTo(1);
      assertThat(container.getLogs()).contains("error: unknown exporter 'postgres'");
    }
  }

  @Test
  void mysqldWithoutAUserIsRefused() {
    try (GenericContainer<?> container = plain().withCommand("mysqld").withEnv("MYSQL_PASSWORD", "pw")) {
      assertThat(StopsByItself.exitCode(container)).isEqualTo(1);
      assertThat(container.getLogs()).contains("error: set MYSQL_USER");
    }
  }

  @Test
  void mysqldWithoutAPasswordIsRefused() {
    try (GenericContainer<?> container = plain().withCommand("mysqld").withEnv("MYSQL_USER", "exporter")) {
      assertThat(StopsByItself.exitCode(container)).isEqualTo(1);
      assertThat(container.getLogs()).contains("error: set MYSQL_PASSWORD or MYSQL_PASSWORD_FILE for exporter");
    }
  }

  @Test
  void aPasswordTogetherWithItsFileIsRefused() {
    try (GenericContainer<?> container = plain().withCommand("redis")
        .withEnv("REDIS_PASSWORD", "secret-4711")
        .withEnv("REDIS_PASSWORD_FILE", "/run/secrets/redis")) {
      assertThat(StopsByItself.exitCode(container)).isEqualTo(1);
      assertThat(container.getLogs()).contains("error: both REDIS_PASSWORD and REDIS_PASSWORD_FILE are set")
          .doesNotContain("secret-4711");
    }
  }

  /** No health wait: these containers are expected to stop by themselves. */
  private static GenericContainer<?> plain() {
    return new GenericContainer<>(RinpocheImages.image("exporters"));
  }
}
