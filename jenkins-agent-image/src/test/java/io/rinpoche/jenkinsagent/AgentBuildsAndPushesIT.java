package io.rinpoche.jenkinsagent;

import static org.assertj.core.api.Assertions.assertThat;

import io.rinpoche.testing.Command;
import io.rinpoche.testing.RinpocheImages;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One agent started with the dind flags and an empty engine of its own: the example app's ci/ scripts pull
 * the base image from a rinpoche/registry on the agent's network (pushed there as `./platform up` does),
 * build the app, run its tests and push it.
 */
class AgentBuildsAndPushesIT {

    private static final String USER = "ci";
    private static final String PASSWORD = UUID.randomUUID().toString();
    private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 8);
    private static final String NETWORK = "rinpoche-agent-it-" + SUFFIX;
    private static final String REGISTRY = "rinpoche-agent-it-registry-" + SUFFIX;
    private static final String MIRROR = "rinpoche-agent-it-mirror-" + SUFFIX;
    private static final String BASE = "rinpoche/django:" + RinpocheImages.tag();
    private static DindAgent agent;
    private static List<String> imagesAtStart;

    @BeforeAll
    static void startRegistryWithTheBaseAndAnEmptyAgent() throws Exception {
        ensureImage("django");
        Command.docker("network", "create", NETWORK);
        // Reached from the agent as registry:5000, the name it has on the platform's own network.
        Command.run(Duration.ofMinutes(1), Map.of("REGISTRY_PASSWORD", PASSWORD), List.of("docker", "run", "-d",
                "--name", REGISTRY, "--network", NETWORK, "--network-alias", "registry", "-p", "127.0.0.1::5000",
                "-e", "REGISTRY_USER=" + USER, "-e", "REGISTRY_PASSWORD", RinpocheImages.image("registry").asCanonicalNameString()));
        awaitHealthy(REGISTRY);
        pushBaseFromTheHost();
        startMirror();
        agent = DindAgent.start(NETWORK, Map.of("DOCKERD_INSECURE_REGISTRIES", "registry:5000,registry-mirror:5000"));
        imagesAtStart = agent.images();
    }

    @AfterAll
    static void removeEverything() {
        if (agent != null) {
            agent.close();
        }
        Command.run(Duration.ofMinutes(1), Map.of(), List.of("docker", "rm", "-f", MIRROR));
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
    void aFreshAgentPullsTheBaseThenTestsBuildsAndPushesADevelopBuild() throws Exception {
        AgentPipeline.Result result = new AgentPipeline(RinpocheImages.root().resolve("examples/hello-django"),
                "develop", "registry:5000", USER, PASSWORD).run(agent);

        // The engine held nothing, so the build could only take its base from the registry (BuildKit keeps
        // a pulled base in its cache, not as a tagged image).
        assertThat(imagesAtStart).as("the agent's engine starts empty: nothing is loaded into it").isEmpty();
        assertThat(result.testOutput()).containsPattern("Ran [1-9][0-9]* tests").contains("\nOK");
        assertThat(result.pushed()).singleElement().asString().matches("registry:5000/hello-django:develop-[0-9a-f]{7}");
        String tag = result.pushed().get(0).substring(result.pushed().get(0).lastIndexOf(':') + 1);
        assertThat(tagsInRegistry("hello-django")).isEqualTo("{\"name\":\"hello-django\",\"tags\":[\"" + tag + "\"]}");
    }

    @Test
    void theReadOnlyMirrorLetsABranchAgentPullButNotPushNorReachItsDebugPort() {
        String base = "registry-mirror:5000/" + BASE;
        Command pull = agent.exec(Duration.ofMinutes(3), Map.of(), "docker", "pull", "-q", base);
        assertThat(pull.exitCode()).as("an anonymous pull of the base: %s", pull.output()).isZero();

        agent.exec(Duration.ofSeconds(30), Map.of(), "docker", "tag", base, "registry-mirror:5000/hello-django:1.0.0");
        Command push = agent.exec(Duration.ofMinutes(1), Map.of(), "docker", "push", "registry-mirror:5000/hello-django:1.0.0");
        assertThat(push.exitCode()).as("a push to the read-only view").isNotZero();
        assertThat(push.output()).contains("Method not allowed");

        Command api = agent.exec(Duration.ofSeconds(30), Map.of(), "bash", "-c", "exec 3<>/dev/tcp/registry-mirror/5000 && echo open");
        Command debug = agent.exec(Duration.ofSeconds(30), Map.of(), "bash", "-c", "exec 3<>/dev/tcp/registry-mirror/5001 && echo open");
        assertThat(api.output()).contains("open");
        assertThat(debug.exitCode()).as("the debug port (/debug/vars shows the hook token)").isNotZero();
        assertThat(debug.output()).contains("Connection refused");
    }

    /**
     * The registry-mirror of compose/platform/compose.yaml (profile ci), as branch agents see the registry: the
     * same storage, read-only and anonymous, its debug server on its own loopback. Its settings are read from
     * the compose file, so this test follows what the platform runs.
     */
    private static void startMirror() throws Exception {
        String compose = Files.readString(RinpocheImages.root().resolve("compose/platform/compose.yaml"));
        String service = compose.substring(compose.indexOf("\n  registry-mirror:"));
        List<String> argv = new java.util.ArrayList<>(List.of("docker", "run", "-d", "--name", MIRROR, "--network", NETWORK,
                "--network-alias", "registry-mirror", "--volumes-from", REGISTRY + ":ro"));
        for (String name : List.of("REGISTRY_AUTH", "REGISTRY_STORAGE_MAINTENANCE_READONLY", "REGISTRY_HTTP_DEBUG_ADDR")) {
            java.util.regex.Matcher value = java.util.regex.Pattern.compile("(?m)^      " + name + ": (.+)$").matcher(service);
            assertThat(value.find()).as("compose's registry-mirror sets %s", name).isTrue();
            argv.addAll(List.of("-e", name + "=" + value.group(1).strip().replaceAll("^'(.*)'$", "$1")));
        }
        argv.add(RinpocheImages.image("registry").asCanonicalNameString());
        Command started = Command.run(Duration.ofMinutes(1), Map.of(), argv);
        assertThat(started.exitCode()).as(started.output()).isZero();
        awaitHealthy(MIRROR);
    }

    /** What `./platform up` does for the base images: tag, push with a throw-away login, untag. */
    private static void pushBaseFromTheHost() throws Exception {
        Path config = Files.createTempDirectory("rinpoche-agent-it-docker");
        try {
            Map<String, String> docker = Map.of("DOCKER_CONFIG", config.toString());
            String host = "127.0.0.1:" + registryPort();
            String ref = host + "/" + BASE;
            Command login = Command.run(Duration.ofMinutes(1), docker, List.of("docker", "login", "-u", USER, "--password-stdin", host), PASSWORD);
            assertThat(login.exitCode()).as(login.output()).isZero();
            Command.docker("tag", BASE, ref);
            Command push = Command.run(Duration.ofMinutes(3), docker, List.of("docker", "push", "-q", ref));
            Command.docker("rmi", ref);
            assertThat(push.exitCode()).as(push.output()).isZero();
        } finally {
            Command.run(Duration.ofSeconds(10), Map.of(), List.of("rm", "-rf", config.toString()));
        }
    }

    /** The registry's own answer, from the host through its published loopback port. */
    private static String tagsInRegistry(String repository) throws Exception {
        String auth = Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + registryPort() + "/v2/" + repository + "/tags/list"))
                .header("Authorization", "Basic " + auth).timeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body().trim();
    }

    private static void awaitHealthy(String container) throws InterruptedException {
        for (int i = 0; i < 120; i++) {
            if (Command.docker("inspect", "-f", "{{.State.Health.Status}}", container).get(0).equals("healthy")) {
                return;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException(container + " did not become healthy in 60 s");
    }

    private static String registryPort() {
        return Command.docker("port", REGISTRY, "5000").get(0).replaceAll(".*:", "");
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
