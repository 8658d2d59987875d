package io.rinpoche.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/** The environment contract of rinpoche/mysql: database, user, root over the network, utf8mb4, health. */
@Testcontainers
class MysqlImageIT {
  static final String ROOT_PASSWORD = "root-" + UUID.randomUUID();
  // Quotes and a backslash: the entrypoint must escape them in SQL, not break or truncate them.
  static final String SHOP_PASSWORD = "it's a \"shop\" \\ pass-" + UUID.randomUUID();

  @Container
  static final GenericContainer<?> MYSQL = Mysql.container()
      .withEnv("MYSQL_ROOT_PASSWORD", ROOT_PASSWORD)
      .withEnv("MYSQL_DATABASE", "shop_db")
      .withEnv("MYSQL_USER", "shop")
      .withEnv("MYSQL_PASSWORD", SHOP_PASSWORD);

  @Test
  void userOwnsTheDatabaseNamedInTheEnvironmentAndNothingElse() throws SQLException {
    try (Connection shop = Mysql.connect(MYSQL, "shop_db", "shop", SHOP_PASSWORD)) {
      shop.createStatement().execute("CREATE TABLE orders (id INT PRIMARY KEY, item VARCHAR(40))");
      shop.createStatement().execute("INSERT INTO orders VALUES (1, 'tea')");

      assertThat(Mysql.column(shop, "SELECT item FROM orders")).containsExactly("tea");
      assertThat(Mysql.column(shop, "SHOW DATABASES")).containsExactlyInAnyOrder("information_schema", "shop_db");
    }
  }

  @Test
  void rootLogsInOverTheNetwork() throws SQLException {
    try (Connection root = Mysql.connect(MYSQL, "", "root", ROOT_PASSWORD)) {
      assertThat(Mysql.column(root, "SELECT CURRENT_USER()")).containsExactly("root@%");
    }
  }

  @Test
  void wrongPasswordIsRefused() {
    assertThatThrownBy(() -> Mysql.connect(MYSQL, "shop_db", "shop", "not-" + SHOP_PASSWORD))
        .isInstanceOf(SQLException.class)
        .satisfies(e -> assertThat(((SQLException) e).getErrorCode()).isEqualTo(1045)); // ER_ACCESS_DENIED_ERROR
  }

  @Test
  void storesAndReadsBackFourByteCharacters() throws SQLException {
    String text = "rocket \uD83D\uDE80 and caf\u00E9";
    try (Connection shop = Mysql.connect(MYSQL, "shop_db", "shop", SHOP_PASSWORD)) {
      shop.createStatement().execute("CREATE TABLE notes (body VARCHAR(40))");
      try (var insert = shop.prepareStatement("INSERT INTO notes VALUES (?)")) {
        insert.setString(1, text);
        insert.executeUpdate();
      }

      assertThat(Mysql.column(shop, "SELECT body FROM notes")).containsExactly(text);
      assertThat(Mysql.column(shop, "SELECT CONCAT(character_set_name, ' ', collation_name)"
          + " FROM information_schema.COLUMNS WHERE table_name = 'notes'"))
          .containsExactly("utf8mb4 utf8mb4_unicode_ci");
      assertThat(Mysql.column(shop, "SELECT CONCAT(@@character_set_server, ' ', @@collation_server)"))
          .containsExactly("utf8mb4 utf8mb4_unicode_ci");
    }
  }

  @Test
  void healthCheckReportsHealthyAfterARealQuery() {
    var health = Mysql.health(MYSQL);

    assertThat(health.getStatus()).isEqualTo("healthy");
    assertThat(health.getLog()).last().satisfies(probe -> {
      assertThat(probe.getExitCodeLong()).isZero();
      assertThat(probe.getOutput()).contains("server answers over TCP");
    });
  }

  @Test
  void serverRunsAsTheMysqlUser() throws Exception {
    var ps = MYSQL.execInContainer("ps", "-o", "user=", "-C", "mariadbd");

    assertThat(ps.getStdout().strip()).isEqualTo("mysql");
  }

  @Test
  void passwordsNeverReachTheLog() {
    assertThat(MYSQL.getLogs()).doesNotContain(ROOT_PASSWORD).doesNotContain(SHOP_PASSWORD);
  }
}
