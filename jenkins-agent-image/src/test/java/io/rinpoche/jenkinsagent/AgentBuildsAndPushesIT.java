package io.rinpoche.jenkinsagent;

import static org.assertj.core.api.Assertions.assertThat;

import io.rinpoche.testing.Command;
import io.rinpoche.testing.RinpocheImages;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One agent started with the dind flags: its own dockerd, and in it the example app's ci/ scripts build
 * the image, run its tests and push it to a rinpoche/registry on the agent's network.
 */
class AgentBuildsAndPushesIT {

    private static final String USER = "ci";
    private static final String PASSWORD = UUID.randomUUID().toString();
    private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 8);
    private static final String NETWORK = "rinpoche-agent-it-" + SUFFIX;
    private static final String REGISTRY = "rinpoche-agent-it-registry-" + SUFFIX;
    private static DindAgent agent;

    @BeforeAll
    static void startRegistryAndAgent() {
        ensureImage("django");
        Command.docker("network", "create", NETWORK);
        // Reached from the agent as registry:5000, the name it has on the platform's own network.
        Command.run(Duration.ofMinutes(1), Map.of("REGISTRY_PASSWORD", PASSWORD), List.of("docker", "run", "-d",
                "--name", REGISTRY, "--network", NETWORK, "--network-alias", "registry", "-p", "127.0.0.1::5000",
                "-e", "REGISTRY_USER=" + USER, "-e", "REGISTRY_PASSWORD", RinpocheImages.image("registry").asCanonicalNameString()));
        agent = DindAgent.start(NETWORK, Map.of("DOCKERD_INSECURE_REGISTRIES", "registry:5000"));
        agent.loadImage(RinpocheImages.image("django").asCanonicalNameString());
    }

    @AfterAll
    static void removeEverything() {
        if (agent != null) {
            agent.close();
        }
        Command.run(Duration.ofMinutes(1), Map.of(), List.of("docker", "rm", "-f", "-v", REGISTRY));
        Command.run(Duration.ofMinutes(1), Map.of(), List.of("docker", "network", "rm", NETWORK));
    }

    @Test
    void innerEngineRunsOnOverlay2AndTrustsTheRegistry() {
        Command info = agent.exec(Duration.ofSeconds(30), Map.of(), "docker", "info", "--format",
                "{{.Driver}} {{(index .RegistryConfig.IndexConfigs \"registry:5000\").Secure}}");

        assertThat(info.output().trim()).isEqualTo("overlay2 false");
    }

    @Test
    void developBuildIsTestedAndPushedToTheRegistry() throws Exception {
        AgentPipeline.Result result = new AgentPipeline(RinpocheImages.root().resolve("examples/hello-django"),
                "develop", "registry:5000", USER, PASSWORD).run(agent);

        assertThat(result.testOutput()).contains("Ran 7 tests").contains("\nOK");
        assertThat(result.pushed()).singleElement().asString().matches("registry:5000/hello-django:develop-[0-9a-f]{7}");
        String tag = result.pushed().get(0).substring(result.pushed().get(0).lastIndexOf(':') + 1);
        assertThat(tagsInRegistry()).isEqualTo("{\"name\":\"hello-django\",\"tags\":[\"" + tag + "\"]}");
    }

    /** The registry's own answer, from the host through its published loopback port. */
    private static String tagsInRegistry() throws Exception {
        String port = Command.docker("port", REGISTRY, "5000").get(0).replaceAll(".*:", "");
        String auth = Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v2/hello-django/tags/list"))
                .header("Authorization", "Basic " + auth).timeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body().trim();
    }

    /** The base image the app builds on; `./platform build` makes it when an earlier module has not. */
    private static void ensureImage(String name) {
        if (Command.run(Duration.ofSeconds(30), Map.of(), List.of("docker", "image", "inspect",
                RinpocheImages.image(name).asCanonicalNameString())).exitCode() == 0) {
            return;
        }
        Command built = Command.run(Duration.ofMinutes(10), Map.of(),
                List.of(RinpocheImages.root().resolve("platform").toString(), "build", name));
        assertThat(built.exitCode()).as(built.output()).isZero();
    }
}
