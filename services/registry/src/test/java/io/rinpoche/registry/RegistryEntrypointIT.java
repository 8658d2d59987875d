package io.rinpoche.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.rinpoche.testing.StopsByItself;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;

/** How rinpoche/registry reads its settings: secret files, explicitly no auth, and clear refusals. */
class RegistryEntrypointIT {

  @Test
  void missingCredentialsStopWithAClearMessage() {
    try (GenericContainer<?> registry = Registry.refusing()) {
      assertThat(StopsByItself.exitCode(registry)).isEqualTo(1);
      assertThat(registry.getLogs()).contains("error: no registry credentials")
          .contains("REGISTRY_PASSWORD_FILE").contains("REGISTRY_AUTH=none");
    }
  }

  @Test
  void aPasswordWithoutUserIsRefusedWithoutShowingIt() {
    String password = "orphan-" + UUID.randomUUID();
    try (GenericContainer<?> registry = Registry.refusing().withEnv("REGISTRY_PASSWORD", password)) {
      assertThat(StopsByItself.exitCode(registry)).isEqualTo(1);
      assertThat(registry.getLogs()).contains("error: no registry credentials").doesNotContain(password);
    }
  }

  @Test
  void aPasswordTogetherWithItsFileIsRefused() {
    try (GenericContainer<?> registry = Registry.refusing().withEnv("REGISTRY_USER", "alice")
        .withEnv("REGISTRY_PASSWORD", "one").withEnv("REGISTRY_PASSWORD_FILE", "/run/secrets/registry")
        .withCopyToContainer(Transferable.of("two"), "/run/secrets/registry")) {
      assertThat(StopsByItself.exitCode(registry)).isEqualTo(1);
      assertThat(registry.getLogs()).contains("error: both REGISTRY_PASSWORD and REGISTRY_PASSWORD_FILE are set");
    }
  }

  @Test
  void aPasswordLongerThanBcryptReadsIsRefused() {
    String password = "x".repeat(73);
    try (GenericContainer<?> registry = Registry.refusing().withEnv("REGISTRY_USER", "alice")
        .withEnv("REGISTRY_PASSWORD", password)) {
      assertThat(StopsByItself.exitCode(registry)).isEqualTo(1);
      assertThat(registry.getLogs()).contains("longer than 72 bytes").doesNotContain(password);
    }
  }

  @Test
  void notificationsWithoutATokenAreRefused() {
    try (GenericContainer<?> registry = Registry.refusing().withEnv("REGISTRY_AUTH", "none")
        .withEnv("NOTIFY_URL", "http://deploy-service:8088/hooks/registry")) {
      assertThat(StopsByItself.exitCode(registry)).isEqualTo(1);
      assertThat(registry.getLogs()).contains("NOTIFY_URL is set, but neither NOTIFY_TOKEN nor NOTIFY_TOKEN_FILE");
    }
  }

  @Test
  void aTokenThatCouldBreakTheConfigIsRefused() {
    try (GenericContainer<?> registry = Registry.refusing().withEnv("REGISTRY_AUTH", "none")
        .withEnv("NOTIFY_URL", "http://deploy-service:8088/hooks/registry")
        .withEnv("NOTIFY_TOKEN", "abc']\n  evil: [x")) {
      assertThat(StopsByItself.exitCode(registry)).isEqualTo(1);
      assertThat(registry.getLogs()).contains("NOTIFY_TOKEN may hold only");
    }
  }

  @Test
  void credentialsComeFromFilesOnlyRootCanRead() {
    // Mode 0400, owned by root, like many secret mounts: read before the entrypoint drops root.
    try (GenericContainer<?> registry = Registry.plain()
        .withEnv("REGISTRY_USER_FILE", "/run/secrets/registry-user")
        .withEnv("REGISTRY_PASSWORD_FILE", "/run/secrets/registry-password")
        .withCopyToContainer(Transferable.of(Registry.USER + "\n", 0400), "/run/secrets/registry-user")
        .withCopyToContainer(Transferable.of("from a file\n", 0400), "/run/secrets/registry-password")
        .waitingFor(Wait.forHealthcheck().withStartupTimeout(Duration.ofSeconds(60)))) {
      registry.start();

      // As in the mysql and redis images, the file's trailing newline is not part of the secret.
      assertThat(Registry.get(registry, "/v2/", "from a file").statusCode()).isEqualTo(200);
      assertThat(Registry.get(registry, "/v2/", "from a file\n").statusCode()).isEqualTo(401);
    }
  }

  @Test
  void registryAuthNoneServesAnyoneAndSaysSo() {
    try (GenericContainer<?> registry = Registry.plain().withEnv("REGISTRY_AUTH", "none")
        .waitingFor(Wait.forHealthcheck().withStartupTimeout(Duration.ofSeconds(60)))) {
      registry.start();

      assertThat(Registry.get(registry, "/v2/", null).statusCode()).isEqualTo(200);
      assertThat(registry.getLogs()).contains("warning: REGISTRY_AUTH=none");
    }
  }
}
