package io.rinpoche.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.rinpoche.testing.RinpocheImages;
import io.rinpoche.testing.StopsByItself;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.images.builder.Transferable;
import redis.clients.jedis.Jedis;

/** How rinpoche/redis reads its password: from a file, explicitly none, and clear refusals. */
class RedisEntrypointIT {

  @Test
  void missingPasswordStopsWithAClearMessage() {
    try (GenericContainer<?> redis = new GenericContainer<>(RinpocheImages.image("redis"))) {
      assertThat(StopsByItself.exitCode(redis)).isEqualTo(1);
      assertThat(redis.getLogs()).contains("error: no password is set").contains("REDIS_PASSWORD_FILE");
    }
  }

  @Test
  void aPasswordTogetherWithItsFileIsRefused() {
    try (GenericContainer<?> redis = new GenericContainer<>(RinpocheImages.image("redis"))
        .withEnv("REDIS_PASSWORD", "one")
        .withEnv("REDIS_PASSWORD_FILE", "/run/secrets/redis")
        .withCopyToContainer(Transferable.of("two"), "/run/secrets/redis")) {
      assertThat(StopsByItself.exitCode(redis)).isEqualTo(1);
      assertThat(redis.getLogs()).contains("error: both REDIS_PASSWORD and REDIS_PASSWORD_FILE are set");
    }
  }

  @Test
  void passwordComesFromAFileOnlyRootCanRead() {
    // Mode 0400, owned by root, like many secret mounts: read before the entrypoint drops root.
    try (GenericContainer<?> redis = Redis.container()
        .withEnv("REDIS_PASSWORD_FILE", "/run/secrets/redis")
        .withCopyToContainer(Transferable.of("from a file\n", 0400), "/run/secrets/redis")) {
      redis.start();

      // As with the mysql image, the trailing newline of the file is not part of the password.
      try (Jedis client = Redis.client(redis, "from a file")) {
        client.set("k", "v");
        assertThat(client.get("k")).isEqualTo("v");
      }
    }
  }

  @Test
  void anExplicitlyEmptyPasswordServesWithoutAuth() {
    try (GenericContainer<?> redis = Redis.container().withEnv("REDIS_ALLOW_EMPTY_PASSWORD", "yes")) {
      redis.start();

      try (Jedis client = Redis.client(redis, null)) {
        client.set("k", "v");
        assertThat(client.get("k")).isEqualTo("v");
      }
      assertThat(redis.getLogs()).contains("warning: REDIS_ALLOW_EMPTY_PASSWORD is set");
    }
  }
}
