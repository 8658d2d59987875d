package io.rinpoche.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/** The contract of rinpoche/registry: basic auth on the API, health, metrics, a non-root process, secrets kept. */
@Testcontainers
class RegistryImageIT {
  // Quotes, spaces, a backslash and `&`: the htpasswd line must carry them unchanged.
  static final String PASSWORD = "it's a \"registry\" \\ & pass-" + UUID.randomUUID().toString().substring(0, 8);
  /** Prints the /proc directory of the registry process. */
  static final String FIND_REGISTRY =
      "for p in /proc/[0-9]*; do [ \"$(cat $p/comm 2>/dev/null)\" = docker-registry ] && echo $p; done";

  @Container
  static final GenericContainer<?> REGISTRY = Registry.container(PASSWORD);

  @Test
  void theApiAsksForCredentials() {
    var anonymous = Registry.get(REGISTRY, "/v2/", null);

    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"rinpoche registry\"");
  }

  @Test
  void theApiAnswersWithTheRightPassword() {
    var response = Registry.get(REGISTRY, "/v2/", PASSWORD);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Docker-Distribution-API-Version")).hasValue("registry/2.0");
  }

  @Test
  void aWrongPasswordIsRefused() {
    assertThat(Registry.get(REGISTRY, "/v2/", "not-" + PASSWORD).statusCode()).isEqualTo(401);
    assertThat(Registry.get(REGISTRY, "/v2/_catalog", "not-" + PASSWORD).statusCode()).isEqualTo(401);
  }

  @Test
  void healthCheckAsksTheApiPort() {
    var health = REGISTRY.getCurrentContainerInfo().getState().getHealth();

    assertThat(health.getStatus()).isEqualTo("healthy");
    assertThat(health.getLog()).last().satisfies(probe -> {
      assertThat(probe.getExitCodeLong()).isZero();
      assertThat(probe.getOutput()).contains("healthy: HTTP/1.0 200 OK");
    });
    assertThat(Registry.debug(REGISTRY, "/debug/health").statusCode()).isEqualTo(200);
  }

  @Test
  void prometheusMetricsOnTheDebugPort() {
    Registry.get(REGISTRY, "/v2/", PASSWORD);

    var metrics = Registry.debug(REGISTRY, "/metrics");

    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body()).contains("registry_http_requests_total{code=\"200\",handler=\"base\",method=\"get\"}")
        .contains("registry_http_request_duration_seconds_bucket");
  }

  @Test
  void runsAsTheDockerRegistryUser() throws Exception {
    assertThat(Registry.shell(REGISTRY, FIND_REGISTRY + " | xargs stat -c %U").strip()).isEqualTo("docker-registry");
    assertThat(Registry.shell(REGISTRY, "stat -c '%U %a' /var/lib/registry").strip()).isEqualTo("docker-registry 750");
  }

  @Test
  void passwordIsStoredAsBcryptOnlyTheRegistryCanRead() throws Exception {
    assertThat(Registry.shell(REGISTRY, "stat -c '%a %U' /run/registry/htpasswd /run/registry/config.yml"))
        .isEqualTo("600 docker-registry\n600 docker-registry\n");
    assertThat(Registry.shell(REGISTRY, "cat /run/registry/htpasswd")).matches("it-user:\\$2b\\$10\\$[./A-Za-z0-9]{53}\n");
  }

  @Test
  void passwordIsInNoCommandLineEnvironmentOrLog() throws Exception {
    String commandLines = Registry.shell(REGISTRY, "cat /proc/[0-9]*/cmdline | tr '\\0' '\\n'");
    String registryEnvironment = Registry.shell(REGISTRY, "cat $(" + FIND_REGISTRY + ")/environ | tr '\\0' '\\n'");

    assertThat(commandLines).contains("docker-registry").doesNotContain(PASSWORD);
    // The image's own REGISTRY_* variables would be read as config overrides by distribution.
    assertThat(registryEnvironment).doesNotContain(PASSWORD).doesNotContain("REGISTRY_USER")
        .doesNotContain("REGISTRY_PASSWORD");
    assertThat(REGISTRY.getLogs()).doesNotContain(PASSWORD).contains("htpasswd authentication: user 'it-user'");
  }
}
