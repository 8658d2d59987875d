package io.rinpoche.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;

/** Images pushed to rinpoche/registry live in its volume and outlive the container. */
class RegistryPersistenceIT {
  static final String PASSWORD = "keep-" + UUID.randomUUID();

  @Test
  void aReplacementContainerOnTheSameVolumeServesWhatWasPushed() throws Exception {
    String volume = "rinpoche-it-registry-" + UUID.randomUUID();
    String tag = UUID.randomUUID().toString().substring(0, 8);
    try (DockerCli docker = new DockerCli()) {
      String digest;
      String imageId;
      try (GenericContainer<?> first = Registry.onVolume(Registry.container(PASSWORD), volume)) {
        first.start();
        String reference = Registry.address(first) + "/it/kept:" + tag;
        imageId = docker.buildProbe(reference);
        assertThat(docker.login(Registry.address(first), Registry.USER, PASSWORD).exitCode()).isZero();
        digest = docker.push(reference);
        docker.untag(reference);
      }

      try (GenericContainer<?> second = Registry.onVolume(Registry.container(PASSWORD), volume)) {
        second.start();
        // A new container gets a new host port: the image is pulled by digest from there.
        assertThat(docker.login(Registry.address(second), Registry.USER, PASSWORD).exitCode()).isZero();
        String byDigest = Registry.address(second) + "/it/kept@" + digest;
        var pull = docker.pull(byDigest);

        assertThat(pull.exitCode()).as(pull.output()).isZero();
        assertThat(docker.imageId(byDigest)).isEqualTo(imageId);
        assertThat(Registry.manifest(second, "it/kept", tag, PASSWORD).statusCode()).isEqualTo(200);
        assertEveryBlobMatchesItsDigest(second, digest);
      }
    } finally {
      Registry.removeVolume(volume);
    }
  }

  /** The pull above may reuse layers the engine still has: read every blob back from the registry itself. */
  private static void assertEveryBlobMatchesItsDigest(GenericContainer<?> registry, String digest) throws Exception {
    var manifest = Registry.manifest(registry, "it/kept", digest, PASSWORD);
    assertThat(manifest.statusCode()).isEqualTo(200);
    JsonNode json = new ObjectMapper().readTree(manifest.body());
    assertThat(json.path("layers")).hasSize(2);
    List<String> blobs = new ArrayList<>();
    blobs.add(json.path("config").path("digest").asText());
    json.path("layers").forEach(layer -> blobs.add(layer.path("digest").asText()));
    for (String blob : blobs) {
      var response = Registry.blob(registry, "it/kept", blob, PASSWORD);
      assertThat(response.statusCode()).isEqualTo(200);
      String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(response.body()));
      assertThat("sha256:" + sha256).isEqualTo(blob);
    }
  }
}
