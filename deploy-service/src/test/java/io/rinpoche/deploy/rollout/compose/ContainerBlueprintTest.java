package io.rinpoche.deploy.rollout.compose;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The create request cloned from a real compose container's inspect output (see compose-container.yaml). */
class ContainerBlueprintTest {

    private static final String NEW_IMAGE = "rinpoche-rollout-test/app:v2";
    private static final String NEW_ID = "sha256:" + "ab".repeat(32);
    private static final Map<String, String> ROLLOUT = Map.of(RolloutLabels.ID, "0123456789ab");

    private final ObjectNode container = json("compose-container.json");
    private final JsonNode image = json("hello-django-image.json");

    @Test
    void keepsTheComposeFilesEnvironmentAndLetsTheNewImageSetItsOwn() {
        JsonNode config = replica().body();

        assertThat(strings(config.path("Env"))).containsExactlyInAnyOrder("DATABASE_ENGINE=sqlite",
                "CACHE_BACKEND=locmem", "DJANGO_SECRET_KEY=fixture-not-a-secret", "TEAM_SETTING=set-by-the-compose-file");
        assertThat(config.path("Image").asString()).isEqualTo(NEW_IMAGE);
        for (String fromTheImage : List.of("Entrypoint", "Healthcheck", "WorkingDir", "User", "ExposedPorts", "Hostname",
                "MacAddress")) {
            assertThat(config.has(fromTheImage)).as(fromTheImage).isFalse();
        }
        assertThat(strings(config.path("Cmd"))).as("the compose file's command").containsExactly("rinpoche-entrypoint");
        assertThat(config.path("StopTimeout").asInt()).as("stop_grace_period").isEqualTo(20);
    }

    @Test
    void keepsWhatTheComposeFileOverrodeEvenWhereTheImageHasADefault() {
        ObjectNode config = (ObjectNode) container.get("Config");
        config.putArray("Entrypoint").add("tini").add("--").add("custom");
        config.putObject("Healthcheck").putArray("Test").add("CMD").add("true");
        config.put("Hostname", "fixed-name");

        JsonNode body = replica().body();

        assertThat(strings(body.path("Entrypoint"))).containsExactly("tini", "--", "custom");
        assertThat(strings(body.path("Cmd"))).as("goes with its entrypoint").containsExactly("rinpoche-entrypoint");
        assertThat(strings(body.path("Healthcheck").path("Test"))).containsExactly("CMD", "true");
        assertThat(body.path("Hostname").asString()).isEqualTo("fixed-name");
    }

    @Test
    void anImageCommandIsNotPinnedOntoTheNextImage() {
        ((ObjectNode) container.get("Config")).putNull("Cmd");

        assertThat(replica().body().has("Cmd")).isFalse();
    }

    @Test
    void keepsComposeLabelsWithTheNextContainerNumberAndAddsTheRollouts() {
        JsonNode labels = replica().body().path("Labels");

        assertThat(labels.path("com.docker.compose.project").asString()).isEqualTo("rro-fixture");
        assertThat(labels.path("com.docker.compose.service").asString()).isEqualTo("app");
        assertThat(labels.path("com.docker.compose.config-hash").asString())
                .isEqualTo(container.path("Config").path("Labels").path("com.docker.compose.config-hash").asString());
        assertThat(labels.path("com.docker.compose.container-number").asString()).isEqualTo("7");
        assertThat(labels.path("com.docker.compose.image").asString()).isEqualTo(NEW_ID);
        assertThat(labels.path("com.docker.compose.replace").asString()).isEqualTo(container.path("Id").asString());
        assertThat(labels.path("io.example.team").asString()).isEqualTo("web");
        assertThat(labels.path(RolloutLabels.ID).asString()).isEqualTo("0123456789ab");
    }

    @Test
    void keepsMountsAndReusesAnonymousVolumesByName() {
        JsonNode host = replica().body().path("HostConfig");

        assertThat(host.path("Mounts").values()).extracting(m -> m.path("Target").asString() + "<-" + m.path("Source").asString())
                .containsExactly("/data<-rro-fixture_data",
                        "/scratch<-d18dad0007e1b41325a647473425f5375d5bbaa129d8467addd795fe36e195d2");
        assertThat(host.path("RestartPolicy").path("Name").asString()).isEqualTo("unless-stopped");
        assertThat(host.path("PortBindings").path("8000/tcp").get(0).path("HostIp").asString()).isEqualTo("127.0.0.1");
    }

    /** Docker's defaults apply again; a create that sets them is refused by the socket proxy. */
    @Test
    void leavesTheMaskedAndReadOnlyPathsToDocker() {
        assertThat(container.path("HostConfig").has("MaskedPaths")).as("the fixture has them").isTrue();

        JsonNode host = replica().body().path("HostConfig");

        assertThat(host.has("MaskedPaths")).isFalse();
        assertThat(host.has("ReadonlyPaths")).isFalse();
    }

    @Test
    void joinsEveryNetworkWithItsAliasesAndItsOwnName() {
        ContainerBlueprint.Spec spec = replica();

        JsonNode created = spec.body().path("NetworkingConfig").path("EndpointsConfig");
        assertThat(created.propertyNames()).containsExactly("rro-fixture_back");
        assertThat(strings(created.path("rro-fixture_back").path("Aliases"))).containsExactly("rro-fixture-app-7", "app");
        assertThat(spec.moreNetworks()).containsOnlyKeys("rro-fixture_front");
        assertThat(strings(spec.moreNetworks().get("rro-fixture_front").path("Aliases")))
                .containsExactly("rro-fixture-app-7", "app", "web");
        assertThat(created.path("rro-fixture_back").has("MacAddress")).isFalse();
        assertThat(created.path("rro-fixture_back").has("IPAMConfig")).isFalse();
    }

    @Test
    void theProbeIsOutOfTheServicesNameAndOfCompose() {
        ContainerBlueprint.Spec spec = new ContainerBlueprint(container, image).probe(NEW_IMAGE, "rro-fixture-app-probe-1", ROLLOUT);

        JsonNode body = spec.body();
        assertThat(body.path("Labels").propertyNames()).containsExactlyInAnyOrder("io.example.team", RolloutLabels.ID);
        assertThat(body.path("HostConfig").path("RestartPolicy").path("Name").asString()).isEqualTo("no");
        assertThat(body.path("HostConfig").has("PortBindings")).isFalse();
        assertThat(body.path("NetworkingConfig").path("EndpointsConfig").path("rro-fixture_back").has("Aliases")).isFalse();
        assertThat(spec.moreNetworks().get("rro-fixture_front").has("Aliases")).isFalse();
        assertThat(strings(body.path("Env"))).contains("TEAM_SETTING=set-by-the-compose-file");
    }

    private ContainerBlueprint.Spec replica() {
        return new ContainerBlueprint(container, image).replica(NEW_IMAGE, NEW_ID, "rro-fixture-app-7", 7, ROLLOUT);
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asString()));
        return values;
    }

    private static ObjectNode json(String name) {
        try (InputStream in = ContainerBlueprintTest.class.getResourceAsStream("/rollout/" + name)) {
            return (ObjectNode) JsonMapper.shared().readTree(in.readAllBytes());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
