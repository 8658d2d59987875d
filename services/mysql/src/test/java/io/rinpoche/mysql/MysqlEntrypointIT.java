package io.rinpoche.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import io.rinpoche.testing.RinpocheImages;
import io.rinpoche.testing.StopsByItself;
import java.sql.Connection;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.images.builder.Transferable;

/** How rinpoche/mysql reads its passwords: *_FILE secrets, a generated one, and clear refusals. */
class MysqlEntrypointIT {

  @Test
  void missingRootPasswordStopsWithAClearMessage() {
    try (GenericContainer<?> mysql = new GenericContainer<>(RinpocheImages.image("mysql"))
        .withEnv("MYSQL_DATABASE", "shop")) {
      assertThat(StopsByItself.exitCode(mysql)).isEqualTo(1);
      assertThat(mysql.getLogs()).contains("error: the database is uninitialized and no root password is set")
          .contains("MYSQL_ROOT_PASSWORD");
    }
  }

  @Test
  void aPasswordTogetherWithItsFileIsRefused() {
    try (GenericContainer<?> mysql = new GenericContainer<>(RinpocheImages.image("mysql"))
        .withEnv("MYSQL_ROOT_PASSWORD", "one")
        .withEnv("MYSQL_ROOT_PASSWORD_FILE", "/run/secrets/root")
        .withCopyToContainer(Transferable.of("two"), "/run/secrets/root")) {
      assertThat(StopsByItself.exitCode(mysql)).isEqualTo(1);
      assertThat(mysql.getLogs())
          .contains("error: both MYSQL_ROOT_PASSWORD and MYSQL_ROOT_PASSWORD_FILE are set");
    }
  }

  @Test
  void passwordsComeFromFilesOnlyRootCanRead() throws Exception {
    // Mode 0400, owned by root, like many secret mounts: read before the entrypoint drops root.
    try (GenericContainer<?> mysql = Mysql.container()
        .withEnv("MYSQL_ROOT_PASSWORD_FILE", "/run/secrets/root")
        .withEnv("MYSQL_DATABASE", "shop")
        .withEnv("MYSQL_USER", "shop")
        .withEnv("MYSQL_PASSWORD_FILE", "/run/secrets/shop")
        .withCopyToContainer(Transferable.of("root from a file\n", 0400), "/run/secrets/root")
        .withCopyToContainer(Transferable.of("shop from a file\n", 0400), "/run/secrets/shop")) {
      mysql.start();

      // As in the official images, the trailing newline of the file is not part of the password.
      try (Connection root = Mysql.connect(mysql, "", "root", "root from a file");
          Connection shop = Mysql.connect(mysql, "shop", "shop", "shop from a file")) {
        assertThat(Mysql.column(root, "SELECT CURRENT_USER()")).containsExactly("root@%");
        assertThat(Mysql.column(shop, "SELECT DATABASE()")).containsExactly("shop");
      }
    }
  }

  @Test
  void randomRootPasswordIsPrintedOnceAndWorks() throws Exception {
    try (GenericContainer<?> mysql = Mysql.container().withEnv("MYSQL_RANDOM_ROOT_PASSWORD", "yes")) {
      mysql.start();

      var printed = Pattern.compile("GENERATED ROOT PASSWORD: (\\S+)").matcher(mysql.getLogs());
      assertThat(printed.find()).as("generated password in the log").isTrue();
      try (Connection root = Mysql.connect(mysql, "", "root", printed.group(1))) {
        assertThat(Mysql.column(root, "SELECT CURRENT_USER()")).containsExactly("root@%");
      }
    }
  }
}
