package io.rinpoche.mysql;

import com.github.dockerjava.api.command.HealthState;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Volume;
import io.rinpoche.testing.RinpocheImages;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;

/** The rinpoche/mysql image in tests: containers, named volumes and JDBC over the mapped port. */
final class Mysql {
  static final int PORT = 3306;
  static final String DATA_DIR = "/var/lib/mysql";

  private Mysql() {}

  /** A container that counts as started once its own health check says healthy. */
  static GenericContainer<?> container() {
    return new GenericContainer<>(RinpocheImages.image("mysql"))
        .withExposedPorts(PORT)
        .waitingFor(Wait.forHealthcheck().withStartupTimeout(Duration.ofMinutes(2)));
  }

  /** Mounts the named volume as the data directory (Docker creates it on first use). */
  static GenericContainer<?> onVolume(GenericContainer<?> container, String volume) {
    return container.withCreateContainerCmdModifier(
        cmd -> cmd.getHostConfig().withBinds(new Bind(volume, new Volume(DATA_DIR))));
  }

  static void removeVolume(String volume) {
    DockerClientFactory.instance().client().removeVolumeCmd(volume).exec();
  }

  static Connection connect(GenericContainer<?> container, String database, String user, String password)
      throws SQLException {
    String url = "jdbc:mariadb://" + container.getHost() + ":" + container.getMappedPort(PORT) + "/" + database
        + "?connectTimeout=5000";
    return DriverManager.getConnection(url, user, password);
  }

  /** Every row of the first column of a query, as strings. */
  static List<String> column(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement(); var rows = statement.executeQuery(sql)) {
      List<String> values = new ArrayList<>();
      while (rows.next()) {
        values.add(rows.getString(1));
      }
      return values;
    }
  }

  static HealthState health(GenericContainer<?> container) {
    return container.getCurrentContainerInfo().getState().getHealth();
  }
}
