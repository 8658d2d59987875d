package io.rinpoche.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import redis.clients.jedis.Jedis;

/** rinpoche/redis keeps writes in the append-only file on its volume, across a hard kill. */
class RedisPersistenceIT {

  @Test
  void writesSurviveAKilledContainerThroughTheAof() throws Exception {
    String volume = "rinpoche-it-redis-" + UUID.randomUUID();
    String value = "kept-" + UUID.randomUUID();
    try {
      try (GenericContainer<?> first = Redis.onVolume(Redis.container(), volume).withEnv("REDIS_PASSWORD", "pw")) {
        first.start();
        try (Jedis redis = Redis.client(first, "pw")) {
          redis.set("order:1", value);
        }
        await().atMost(Duration.ofSeconds(10))
            .until(() -> Redis.shell(first, "cat /data/appendonlydir/*.incr.aof").contains(value));
        // No snapshot was written, and SIGKILL leaves no chance to write one: only the AOF can keep it.
        assertThat(Redis.shell(first, "ls /data")).doesNotContain("dump.rdb");
        DockerClientFactory.instance().client().killContainerCmd(first.getContainerId()).exec();
      }

      try (GenericContainer<?> second = Redis.onVolume(Redis.container(), volume).withEnv("REDIS_PASSWORD", "pw")) {
        second.start();
        try (Jedis redis = Redis.client(second, "pw")) {
          assertThat(redis.get("order:1")).isEqualTo(value);
        }
      }
    } finally {
      Redis.removeVolume(volume);
    }
  }
}
