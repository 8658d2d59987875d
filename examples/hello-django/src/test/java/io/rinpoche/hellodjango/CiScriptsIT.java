package io.rinpoche.hellodjango;

import static org.assertj.core.api.Assertions.assertThat;

import io.rinpoche.testing.Command;
import io.rinpoche.testing.RinpocheImages;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The app's ci/ scripts on the host, as Jenkins runs them: a copy of the app in its own git repository,
 * a develop build and a master build pushed to a rinpoche/registry, which then holds exactly their tags.
 */
class CiScriptsIT {

    private static final String USER = "ci";
    private static final String PASSWORD = UUID.randomUUID().toString();
    private static final Pattern TAGS = Pattern.compile("\"tags\":\\[(.*)]");
    private static String registryName;
    private static String registry;

    @TempDir
    Path checkout;

    @BeforeAll
    static void startRegistry() throws InterruptedException {
        registryName = "rinpoche-ci-it-registry-" + UUID.randomUUID().toString().substring(0, 8);
        Command started = Command.run(Duration.ofMinutes(1), Map.of("REGISTRY_PASSWORD", PASSWORD), List.of("docker", "run", "-d",
                "--name", registryName, "-p", "127.0.0.1::5000", "-e", "REGISTRY_USER=" + USER, "-e", "REGISTRY_PASSWORD",
                RinpocheImages.image("registry").asCanonicalNameString()));
        assertThat(started.exitCode()).as(started.output()).isZero();
        // The host's engine speaks plain HTTP to registries on 127.0.0.0/8.
        registry = "127.0.0.1:" + Command.docker("port", registryName, "5000").get(0).replaceAll(".*:", "");
        // ci/ scripts log in before they build: the registry must answer first.
        for (int i = 0; i < 120 && !Command.docker("inspect", "-f", "{{.State.Health.Status}}", registryName).get(0).equals("healthy"); i++) {
            Thread.sleep(500);
        }
    }

    @AfterAll
    static void removeRegistryAndImages() {
        Command.run(Duration.ofMinutes(1), Map.of(), List.of("docker", "rm", "-f", "-v", registryName));
        for (String image : Command.docker("images", "--format", "{{.Repository}}:{{.Tag}}", registry + "/hello-django")) {
            Command.run(Duration.ofMinutes(1), Map.of(), List.of("docker", "rmi", image));
        }
    }

    @Test
    void developThenMasterPushExactlyTheirTagsAndOtherBranchesNothing() throws Exception {
        String version = Files.readString(app().resolve("VERSION")).trim();
        String developSha = commitApp("develop");

        Command test = ci("develop", "test");
        assertThat(test.output()).contains("Ran 7 tests").contains("\nOK");
        ci("develop", "build");
        assertThat(ci("develop", "push").output()).contains(registry + "/hello-django:develop-" + developSha);
        assertThat(tags()).isEqualTo("\"develop-" + developSha + "\"");

        String masterSha = commit("master", "release " + version);
        ci("master", "build");
        ci("master", "push");
        assertThat(tags()).isEqualTo(String.join(",", "\"" + version + "\"", "\"develop-" + developSha + "\"",
                "\"master-" + masterSha + "\""));

        commit("feature/login", "work in progress");
        ci("feature/login", "build");
        assertThat(ci("feature/login", "push").output()).contains("not pushed");
        assertThat(tags()).as("a feature branch pushes nothing").contains("develop-" + developSha).doesNotContain("feature");
    }

    @Test
    void masterBakesItsVersionIntoTheImage() throws Exception {
        String sha = commitApp("master");
        ci("master", "build");

        String env = String.join("\n", Command.docker("image", "inspect", "--format", "{{join .Config.Env \"\\n\"}}",
                registry + "/hello-django:master-" + sha));
        assertThat(env).contains("APP_VERSION=" + Files.readString(app().resolve("VERSION")).trim());
    }

    /** Copies the app (without the Maven module's files) into a fresh repository on {@code branch}. */
    private String commitApp(String branch) throws IOException {
        Command copy = Command.run(Duration.ofMinutes(1), Map.of(), List.of("bash", "-c",
                "tar -C \"$1\" -c --exclude=./target --exclude=./src --exclude=__pycache__ . | tar -C \"$2\" -x",
                "copy", app().toString(), checkout.toString()));
        assertThat(copy.exitCode()).as(copy.output()).isZero();
        git("init", "-q", "-b", branch);
        return commit(branch, "app");
    }

    /** Commits everything on {@code branch} (created from HEAD when new) and returns the short sha. */
    private String commit(String branch, String message) throws IOException {
        if (Command.run(Duration.ofSeconds(30), Map.of(), List.of("git", "-C", checkout.toString(), "checkout", "-q", branch)).exitCode() != 0) {
            git("checkout", "-q", "-b", branch);
        }
        Files.writeString(checkout.resolve("CHANGES"), message + "\n");
        git("add", "-A");
        git("-c", "user.name=ci", "-c", "user.email=ci@rinpoche.invalid", "commit", "-q", "-m", message);
        return git("rev-parse", "--short=7", "HEAD").trim();
    }

    private String git(String... args) {
        List<String> argv = new java.util.ArrayList<>(List.of("git", "-C", checkout.toString()));
        argv.addAll(List.of(args));
        Command result = Command.run(Duration.ofSeconds(30), Map.of(), argv);
        assertThat(result.exitCode()).as("%s: %s", argv, result.output()).isZero();
        return result.output();
    }

    /** Runs ci/<script> as the Jenkinsfile does (BRANCH_NAME set, credentials in the environment). */
    private Command ci(String branch, String script) {
        Map<String, String> env = new HashMap<>(Map.of("BRANCH_NAME", branch, "REGISTRY", registry,
                "REGISTRY_USER", USER, "REGISTRY_PASSWORD", PASSWORD,
                "BASE_IMAGE", RinpocheImages.image("django").asCanonicalNameString()));
        Command result = Command.run(Duration.ofMinutes(5), env, List.of(checkout.resolve("ci/" + script).toString()));
        assertThat(result.exitCode()).as("ci/%s on %s:%n%s", script, branch, result.output()).isZero();
        assertThat(result.output()).as("the password never reaches the output").doesNotContain(PASSWORD);
        return result;
    }

    /** The registry's tag list for hello-django, sorted, as the JSON strings it holds. */
    private static String tags() throws Exception {
        String auth = Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + registry + "/v2/hello-django/tags/list"))
                .header("Authorization", "Basic " + auth).timeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        Matcher matcher = TAGS.matcher(response.body());
        assertThat(matcher.find()).as(response.body()).isTrue();
        return List.of(matcher.group(1).split(",")).stream().sorted().collect(Collectors.joining(","));
    }

    private static Path app() {
        return RinpocheImages.root().resolve("examples/hello-django");
    }
}
