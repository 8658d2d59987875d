package io.rinpoche.redis;

import com.github.dockerjava.api.command.HealthState;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Volume;
import io.rinpoche.testing.RinpocheImages;
import java.time.Duration;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/** The rinpoche/redis image in tests: containers, named volumes and Jedis over the mapped port. */
final class Redis {
  static final int PORT = 6379;

  private Redis() {}

  /** A container that counts as started once its own health check says healthy. */
  static GenericContainer<?> container() {
    return new GenericContainer<>(RinpocheImages.image("redis"))
        .withExposedPorts(PORT)
        .waitingFor(Wait.forHealthcheck().withStartupTimeout(Duration.ofSeconds(60)));
  }

  /** Mounts the named volume at /data (Docker creates it on first use). */
  static GenericContainer<?> onVolume(GenericContainer<?> container, String volume) {
    return container.withCreateContainerCmdModifier(
        cmd -> cmd.getHostConfig().withBinds(new Bind(volume, new Volume("/data"))));
  }

  static void removeVolume(String volume) {
    DockerClientFactory.instance().client().removeVolumeCmd(volume).exec();
  }

  /** A client that authenticates with the password on connect; null means no AUTH at all. */
  static Jedis client(GenericContainer<?> container, String password) {
    var config = DefaultJedisClientConfig.builder().password(password).timeoutMillis(5000).build();
    return new Jedis(new HostAndPort(container.getHost(), container.getMappedPort(PORT)), config);
  }

  static HealthState health(GenericContainer<?> container) {
    return container.getCurrentContainerInfo().getState().getHealth();
  }

  /** Runs a shell command in the container (as root) and returns its standard output. */
  static String shell(GenericContainer<?> container, String command) throws Exception {
    var result = container.execInContainer("sh", "-c", command);
    if (result.getExitCode() != 0) {
      throw new IllegalStateException("'" + command + "' exited " + result.getExitCode() + ": " + result.getStderr());
    }
    return result.getStdout();
  }
}
