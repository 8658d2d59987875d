package io.rinpoche.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/** The host's Docker engine logs in to rinpoche/registry, pushes, pulls and deletes, as a user would. */
@Testcontainers
class RegistryPushPullIT {
  static final String PASSWORD = "push-" + UUID.randomUUID();
  static final String UNIQUE = UUID.randomUUID().toString().substring(0, 8);

  @Container
  static final GenericContainer<?> REGISTRY = Registry.container(PASSWORD);
  static DockerCli docker;

  @BeforeAll
  static void login() throws Exception {
    docker = new DockerCli();
    var login = docker.login(Registry.address(REGISTRY), Registry.USER, PASSWORD);
    assertThat(login.exitCode()).as(login.output()).isZero();
  }

  @AfterAll
  static void cleanUp() throws Exception {
    docker.close();
  }

  @Test
  void pushedImageComesBackWithTheSameDigest() throws Exception {
    String reference = Registry.address(REGISTRY) + "/it/probe:" + UNIQUE;
    String imageId = docker.buildProbe(reference);

    String digest = docker.push(reference);
    docker.untag(reference);
    assertThat(docker.exists(reference)).isFalse();
    var pull = docker.pull(reference);

    assertThat(pull.exitCode()).as(pull.output()).isZero();
    assertThat(pull.output()).contains("Digest: " + digest);
    assertThat(docker.imageId(reference)).isEqualTo(imageId);
    assertThat(docker.repoDigests(reference)).contains(Registry.address(REGISTRY) + "/it/probe@" + digest);
    var tags = Registry.get(REGISTRY, "/v2/it/probe/tags/list", PASSWORD);
    assertThat(tags.body()).contains("\"" + UNIQUE + "\"");
  }

  @Test
  void aWrongPasswordCannotLogIn() throws Exception {
    try (DockerCli stranger = new DockerCli()) {
      var login = stranger.login(Registry.address(REGISTRY), Registry.USER, "not-" + PASSWORD);

      assertThat(login.exitCode()).isNotZero();
      assertThat(login.output()).contains("401 Unauthorized");
    }
  }

  @Test
  void withoutLoginPushIsRefused() throws Exception {
    String reference = Registry.address(REGISTRY) + "/it/anonymous:" + UNIQUE;
    try (DockerCli stranger = new DockerCli()) {
      stranger.buildProbe(reference);

      var push = stranger.run(null, "push", reference);

      assertThat(push.exitCode()).isNotZero();
      assertThat(push.output()).contains("no basic auth credentials");
    }
  }

  @Test
  void manifestsCanBeDeleted() throws Exception {
    String reference = Registry.address(REGISTRY) + "/it/deleted:" + UNIQUE;
    docker.buildProbe(reference);
    String digest = docker.push(reference);

    var deleted = Registry.delete(REGISTRY, "/v2/it/deleted/manifests/" + digest, PASSWORD);

    // storage.delete.enabled: without it the registry answers 405 Unsupported.
    assertThat(deleted.statusCode()).isEqualTo(202);
    assertThat(Registry.manifest(REGISTRY, "it/deleted", digest, PASSWORD).statusCode()).isEqualTo(404);
    assertThat(Registry.manifest(REGISTRY, "it/deleted", UNIQUE, PASSWORD).statusCode()).isEqualTo(404);
  }
}
