package io.rinpoche.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;

/** First start of rinpoche/mysql: init scripts run once, data outlives containers, health waits for init. */
class MysqlInitIT {
  static final String INITDB = "/docker-entrypoint-initdb.d/";

  @Test
  void initScriptsRunOnceInOrderAndDataOutlivesTheContainer() throws Exception {
    String volume = "rinpoche-it-mysql-" + UUID.randomUUID();
    try {
      try (GenericContainer<?> first = withInitScripts(Mysql.onVolume(Mysql.container(), volume))
          .withEnv("MYSQL_ROOT_PASSWORD", "root-pw")
          .withEnv("MYSQL_DATABASE", "shop")
          .withEnv("MYSQL_USER", "shop")
          .withEnv("MYSQL_PASSWORD", "shop-pw")) {
        first.start();
        try (Connection shop = Mysql.connect(first, "shop", "shop", "shop-pw")) {
          assertThat(Mysql.column(shop, "SELECT step FROM init_runs ORDER BY id")).containsExactly("sql.gz", "sh");
          shop.createStatement().execute("INSERT INTO kept VALUES ('written by the first container')");
        }
      }

      // No passwords at all: the new container must find the database and skip initialisation.
      try (GenericContainer<?> second = withInitScripts(Mysql.onVolume(Mysql.container(), volume))) {
        second.start();
        try (Connection shop = Mysql.connect(second, "shop", "shop", "shop-pw")) {
          assertThat(Mysql.column(shop, "SELECT step FROM init_runs ORDER BY id")).containsExactly("sql.gz", "sh");
          assertThat(Mysql.column(shop, "SELECT note FROM kept")).containsExactly("written by the first container");
        }
        assertThat(second.getLogs()).contains("skipping initialisation").doesNotContain("running " + INITDB);
      }
    } finally {
      Mysql.removeVolume(volume);
    }
  }

  @Test
  void healthyOnlyOnceInitialisationHasFinished() throws Exception {
    String holdInit = "echo 'init script: waiting for /tmp/go'\n"
        + "while [ ! -e /tmp/go ]; do sleep 0.2; done\n";
    try (GenericContainer<?> mysql = Mysql.container()
        .withEnv("MYSQL_ROOT_PASSWORD", "root-pw")
        .withCopyToContainer(Transferable.of(holdInit), INITDB + "hold.sh")
        .waitingFor(Wait.forLogMessage(".*init script: waiting for /tmp/go.*", 1))) {
      mysql.start();

      // The probes run every second during the start period; while init holds, each must fail.
      await().atMost(Duration.ofSeconds(30)).until(() -> Mysql.health(mysql).getLog().size() >= 3);
      var health = Mysql.health(mysql);
      assertThat(health.getStatus()).isEqualTo("starting");
      assertThat(health.getLog()).allSatisfy(probe -> assertThat(probe.getExitCodeLong()).isNotZero());
      // The init server listens on its socket only.
      assertThatThrownBy(() -> Mysql.connect(mysql, "", "root", "root-pw")).isInstanceOf(SQLException.class);

      mysql.execInContainer("touch", "/tmp/go");

      await().atMost(Duration.ofSeconds(60)).until(() -> "healthy".equals(Mysql.health(mysql).getStatus()));
      try (Connection root = Mysql.connect(mysql, "", "root", "root-pw")) {
        assertThat(Mysql.column(root, "SELECT 1")).containsExactly("1");
      }
    }
  }

  /**
   * Three scripts that only work in name order (table, then rows), copied in reverse order. Each
   * adds a row to init_runs, so a second run would show up as a duplicate.
   */
  private static GenericContainer<?> withInitScripts(GenericContainer<?> container) throws IOException {
    return container
        .withCopyToContainer(Transferable.of(
            "echo \"INSERT INTO init_runs (step) VALUES ('sh');\" | docker_process_sql\n"), INITDB + "03-rows.sh")
        .withCopyToContainer(Transferable.of(gzip("INSERT INTO init_runs (step) VALUES ('sql.gz');\n")),
            INITDB + "02-rows.sql.gz")
        .withCopyToContainer(Transferable.of(
            "CREATE TABLE init_runs (id INT AUTO_INCREMENT PRIMARY KEY, step VARCHAR(10) NOT NULL);\n"
                + "CREATE TABLE kept (note VARCHAR(40));\n"), INITDB + "01-tables.sql");
  }

  private static byte[] gzip(String text) throws IOException {
    var bytes = new ByteArrayOutputStream();
    try (var out = new GZIPOutputStream(bytes)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return bytes.toByteArray();
  }
}
