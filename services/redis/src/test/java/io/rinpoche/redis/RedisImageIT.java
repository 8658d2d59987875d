package io.rinpoche.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/** The contract of rinpoche/redis: password required and kept secret, AOF on, health check. */
@Testcontainers
class RedisImageIT {
  // Quotes, spaces and a backslash: the generated config must carry them unchanged.
  static final String PASSWORD = "it's a \"redis\" \\ pass-" + UUID.randomUUID();
  /** Prints the /proc directory of the redis-server process. */
  static final String FIND_SERVER =
      "for p in /proc/[0-9]*; do [ \"$(cat $p/comm 2>/dev/null)\" = redis-server ] && echo $p; done";

  @Container
  static final GenericContainer<?> REDIS = Redis.container().withEnv("REDIS_PASSWORD", PASSWORD);

  @Test
  void commandsWithoutThePasswordAreRefused() {
    try (Jedis anonymous = Redis.client(REDIS, null)) {
      assertThatThrownBy(() -> anonymous.get("anything"))
          .isInstanceOf(JedisDataException.class)
          .hasMessageStartingWith("NOAUTH");
    }
  }

  @Test
  void aWrongPasswordIsRefused() {
    assertThatThrownBy(() -> {
      try (Jedis wrong = Redis.client(REDIS, "not-" + PASSWORD)) {
        wrong.ping();
      }
    }).hasStackTraceContaining("WRONGPASS");
  }

  @Test
  void setAndGetWithThePassword() {
    try (Jedis redis = Redis.client(REDIS, PASSWORD)) {
      redis.set("greeting", "hello");

      assertThat(redis.get("greeting")).isEqualTo("hello");
    }
  }

  @Test
  void appendsEveryWriteToTheAofInTheDataVolume() {
    try (Jedis redis = Redis.client(REDIS, PASSWORD)) {
      Map<String, String> config = redis.configGet("appendonly", "appendfsync", "dir", "protected-mode");

      assertThat(config).containsEntry("appendonly", "yes").containsEntry("appendfsync", "everysec")
          .containsEntry("dir", "/data").containsEntry("protected-mode", "no");
    }
  }

  @Test
  void passwordIsInNoCommandLineAndNoLog() throws Exception {
    String commandLines = Redis.shell(REDIS, "cat /proc/[0-9]*/cmdline | tr '\\0' '\\n'");

    assertThat(commandLines).contains("redis-server").contains("tini").doesNotContain(PASSWORD);
    assertThat(REDIS.getLogs()).doesNotContain(PASSWORD);
    assertThat(Redis.shell(REDIS, "stat -c '%a %U' /run/redis/redis.conf").strip()).isEqualTo("600 redis");
  }

  @Test
  void serverRunsAsTheRedisUser() throws Exception {
    assertThat(Redis.shell(REDIS, FIND_SERVER + " | xargs stat -c %U").strip()).isEqualTo("redis");
  }

  @Test
  void healthCheckAnswersPong() {
    var health = Redis.health(REDIS);

    assertThat(health.getStatus()).isEqualTo("healthy");
    assertThat(health.getLog()).last().satisfies(probe -> {
      assertThat(probe.getExitCodeLong()).isZero();
      assertThat(probe.getOutput()).contains("PONG");
    });
  }
}
