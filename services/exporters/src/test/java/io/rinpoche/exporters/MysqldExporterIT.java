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

/** The mysqld exporter logs in to rinpoche/mysql as a dedicated monitoring user, as README.md sets it up. */
class MysqldExporterIT {
  // Characters that break a DSN or an ini file if passed on naively, and a $ that os.ExpandEnv would eat.
  static final String PASSWORD = "ex$p#rt\"er @/;pw " + UUID.randomUUID();
  /** The grants README.md documents: enough for every default collector, and no access to any data. */
  static final String CREATE_USER = "CREATE USER 'exporter'@'%' IDENTIFIED BY '" + PASSWORD
      + "' WITH MAX_USER_CONNECTIONS 3;\n"
      + "GRANT PROCESS, BINLOG MONITOR, SLAVE MONITOR ON *.* TO 'exporter'@'%';\n";
  static final Network NETWORK = Network.newNetwork();
  static final GenericContainer<?> MYSQL = new GenericContainer<>(RinpocheImages.image("mysql"))
      .withNetwork(NETWORK)
      .withNetworkAliases("mysql")
      .withEnv("MYSQL_ROOT_PASSWORD", "root-" + UUID.randomUUID())
      .withCopyToContainer(Transferable.of(CREATE_USER), "/docker-entrypoint-initdb.d/10-exporter.sql")
      .waitingFor(Wait.forHealthcheck().withStartupTimeout(Duration.ofMinutes(2)));

  @BeforeAll
  static void startMysql() {
    MYSQL.start();
  }

  @AfterAll
  static void stopAll() {
    MYSQL.stop();
    NETWORK.close();
  }

  @Test
  void monitoringUserSeesTheServerAndEveryCollectorSucceeds() throws Exception {
    try (GenericContainer<?> exporter = Exporters.exporter("mysqld")
        .withNetwork(NETWORK)
        .withEnv("MYSQL_USER", "exporter")
        .withEnv("MYSQL_PASSWORD", PASSWORD)) {
      exporter.start();
      String metrics = Exporters.metrics(exporter);

      assertThat(Exporters.value(metrics, "mysql_up")).isEqualTo(1);
      assertThat(Exporters.samples(metrics, "mysql_exporter_collector_success"))
          .isNotEmpty()
          .allSatisfy((collector, success) -> assertThat(success).as(collector).isEqualTo(1));
      assertThat(Exporters.value(metrics, "mysql_global_status_threads_connected")).isGreaterThanOrEqualTo(1);
      assertThat(Exporters.exporterUser(exporter)).isEqualTo("prometheus");
      assertThat(Exporters.commandLines(exporter))
          .contains("--mysqld.address=mysql:3306", "--mysqld.username=exporter").doesNotContain(PASSWORD);
      assertThat(exporter.getLogs()).doesNotContain(PASSWORD);
    }
  }

  @Test
  void wrongPasswordIsReportedAsDown() throws Exception {
    try (GenericContainer<?> exporter = Exporters.exporter("mysqld")
        .withNetwork(NETWORK)
        .withEnv("MYSQL_USER", "exporter")
        .withEnv("MYSQL_PASSWORD", "not-" + PASSWORD)) {
      exporter.start();

      assertThat(Exporters.value(Exporters.metrics(exporter), "mysql_up")).isZero();
    }
  }
}
