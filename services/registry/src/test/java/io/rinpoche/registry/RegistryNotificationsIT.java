package io.rinpoche.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.rinpoche.registry.HookReceiver.Delivery;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;

/**
 * rinpoche/registry sends push events to a webhook with a bearer token: manifests only, no pulls, and a
 * failed or refused delivery is sent again. The receiver runs in this JVM on the gateway of the test's
 * own Docker network.
 */
class RegistryNotificationsIT {
  static final String PASSWORD = "notify-" + UUID.randomUUID();
  static final String TOKEN = "hook-token-" + UUID.randomUUID();
  static final String EVENTS_TYPE = "application/vnd.docker.distribution.events.v1+json";
  static final String MANIFEST_TYPE = "application/vnd.docker.distribution.manifest.v2+json";
  static final Duration DELIVERY = Duration.ofSeconds(30);

  static Network network;
  static HookReceiver receiver;
  static GenericContainer<?> registry;
  static DockerCli docker;
  static String probe;

  @BeforeAll
  static void start() throws Exception {
    network = Network.newNetwork();
    receiver = new HookReceiver(gateway(network));
    registry = Registry.container(PASSWORD).withNetwork(network)
        .withEnv("NOTIFY_URL", receiver.url()).withEnv("NOTIFY_TOKEN", TOKEN);
    registry.start();
    docker = new DockerCli();
    assertThat(docker.login(Registry.address(registry), Registry.USER, PASSWORD).exitCode()).isZero();
    probe = "rinpoche-it-registry-probe:" + UUID.randomUUID();
    docker.buildProbe(probe);
  }

  @AfterAll
  static void stop() throws Exception {
    if (docker != null) {
      docker.close();
    }
    if (registry != null) {
      registry.stop();
    }
    if (receiver != null) {
      receiver.close();
    }
    network.close();
  }

  @Test
  void aPushDeliversItsManifestEventWithTheBearerToken() {
    String repository = newRepository();
    String digest = push(repository, "v1");

    Delivery delivery = awaitPush(repository, "v1");

    JsonNode event = pushEvent(delivery, repository, "v1");
    assertThat(delivery.authorization()).isEqualTo("Bearer " + TOKEN);
    assertThat(delivery.contentType()).isEqualTo(EVENTS_TYPE);
    assertThat(event.path("target").path("digest").asText()).isEqualTo(digest);
    assertThat(event.path("target").path("mediaType").asText()).isEqualTo(MANIFEST_TYPE);
    assertThat(event.path("actor").path("name").asText()).isEqualTo(Registry.USER);
    // Layers were pushed (and events queued in order) before the manifest: none of them was sent.
    assertThat(mediaTypes(receiver.deliveriesFor(repository))).containsOnly(MANIFEST_TYPE);
    assertThat(registry.getLogs()).doesNotContain(TOKEN).contains("Bearer <redacted>");
  }

  @Test
  void pullsAreNotSent() {
    String repository = newRepository();
    push(repository, "pulled");
    awaitPush(repository, "pulled");

    assertThat(Registry.manifest(registry, repository, "pulled", PASSWORD).statusCode()).isEqualTo(200);
    // Events leave in order: once this later push has arrived, a pull event would have arrived before it.
    push(repository, "marker");
    awaitPush(repository, "marker");

    assertThat(receiver.deliveriesFor(repository)).flatMap(Delivery::events)
        .extracting(e -> e.path("action").asText()).containsOnly("push");
  }

  @Test
  void aDeliveryAnswered503IsSentAgain() {
    String repository = newRepository();
    // More failures than NOTIFY_THRESHOLD (3): the last attempts come after the backoff.
    receiver.failNext(4);
    push(repository, "retried");

    Delivery accepted = awaitPush(repository, "retried");

    String id = pushEvent(accepted, repository, "retried").path("id").asText();
    List<Integer> attempts = receiver.deliveriesFor(repository).stream()
        .filter(d -> d.events().stream().anyMatch(e -> id.equals(e.path("id").asText())))
        .map(Delivery::status).toList();
    assertThat(attempts).containsExactly(503, 503, 503, 503, 200);
  }

  @Test
  void anEventWaitsForAReceiverThatIsDown() {
    String repository = newRepository();
    receiver.stop();
    try {
      push(repository, "while-down");
      await().atMost(DELIVERY).until(() -> registry.getLogs().contains("connection refused"));
    } finally {
      receiver.restart();
    }

    Delivery delivery = awaitPush(repository, "while-down");

    assertThat(delivery.authorization()).isEqualTo("Bearer " + TOKEN);
  }

  private static String newRepository() {
    return "it/notify-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static String push(String repository, String tag) {
    String reference = Registry.address(registry) + "/" + repository + ":" + tag;
    docker.tag(probe, reference);
    return docker.push(reference);
  }

  /** The first delivery, answered 200, that holds the push event of repository:tag. */
  private static Delivery awaitPush(String repository, String tag) {
    return await().atMost(DELIVERY).until(
        () -> receiver.deliveriesFor(repository).stream()
            .filter(d -> d.status() == 200 && pushEvent(d, repository, tag) != null).findFirst().orElse(null),
        delivery -> delivery != null);
  }

  private static JsonNode pushEvent(Delivery delivery, String repository, String tag) {
    return delivery.events().stream()
        .filter(e -> "push".equals(e.path("action").asText()))
        .filter(e -> repository.equals(e.path("target").path("repository").asText()))
        .filter(e -> tag.equals(e.path("target").path("tag").asText()))
        .findFirst().orElse(null);
  }

  private static List<String> mediaTypes(List<Delivery> deliveries) {
    return deliveries.stream().flatMap(d -> d.events().stream())
        .map(e -> e.path("target").path("mediaType").asText()).toList();
  }

  /** The host's address on the network: the bridge's gateway. */
  private static String gateway(Network network) {
    return DockerClientFactory.instance().client().inspectNetworkCmd().withNetworkId(network.getId()).exec()
        .getIpam().getConfig().get(0).getGateway();
  }
}
