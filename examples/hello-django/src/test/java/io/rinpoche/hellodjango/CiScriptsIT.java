package io.rinpoche.hellodjango;

import static org.assertj.core.api.Assertions.assertThat;

import io.rinpoche.testing.Command;
import io.rinpoche.testing.OwnImages;
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
        OwnImages.removeFromRegistry(registry);
    }

    @Test
    void developAndMasterPushTheirShaTagsAndOtherBranchesNothing() throws Exception {
        String developSha = commitApp("develop");

        Command test = ci("develop", "test");
        assertThat(test.output()).containsPattern("Ran [1-9][0-9]* tests").contains("\nOK");
        assertThat(Files.readString(checkout.resolve("target/test-results/django.xml")))
                .as("JUnit XML for Jenkins' junit step")
                .containsPattern("<testsuite name=\"django\" tests=\"[1-9][0-9]*\" failures=\"0\" errors=\"0\"");
        ci("develop", "build");
        assertThat(ci("develop", "push").output()).contains(registry + "/hello-django:develop-" + developSha);
        assertThat(tags()).isEqualTo("\"develop-" + developSha + "\"");

        String masterSha = commit("master", "merge");
        ci("master", "build");
        ci("master", "push");
        assertThat(tags()).as("master pushes no semantic version: only a git tag does")
                .isEqualTo(String.join(",", "\"develop-" + developSha + "\"", "\"master-" + masterSha + "\""));

        commit("feature/login", "work in progress");
        ci("feature/login", "build");
        assertThat(ci("feature/login", "push").output()).contains("not pushed");
        assertThat(tags()).as("a feature branch pushes nothing").contains("develop-" + developSha).doesNotContain("feature");
    }

    @Test
    void aReleaseTagIsPushedOnceAndNeverPushedOver() throws Exception {
        commitApp("master");
        git("tag", "v1.4.0");
        Map<String, String> release = Map.of("TAG_NAME", "v1.4.0");

        ci("v1.4.0", "build", release);
        assertThat(ci("v1.4.0", "push", release).output()).contains(registry + "/hello-django:1.4.0");
        Command again = run("v1.4.0", "push", release, true);

        assertThat(again.exitCode()).isNotZero();
        assertThat(again.output()).contains("hello-django:1.4.0 is already in the registry: a release tag is never pushed over");
        assertThat(tags()).contains("\"1.4.0\"");
        String env = String.join("\n", Command.docker("image", "inspect", "--format", "{{join .Config.Env \"\\n\"}}",
                registry + "/hello-django:1.4.0"));
        assertThat(env).contains("APP_VERSION=1.4.0");
    }

    @Test
    void aFeatureBranchCannotPushAReleaseTag() throws Exception {
        commitApp("feature/sneaky");
        // A version the branch merely claims: no such git tag on the commit.
        Command claimed = run("feature/sneaky", "build", Map.of("TAG_NAME", "9.9.9"), true);
        assertThat(claimed.exitCode()).isNotZero();
        assertThat(claimed.output()).contains("TAG_NAME=9.9.9 is not a git tag of this commit");

        // Even with a tag of its own, a branch build has no registry credentials (only the release job does).
        git("tag", "9.9.9");
        Map<String, String> noCredentials = Map.of("TAG_NAME", "9.9.9", "REGISTRY_USER", "", "REGISTRY_PASSWORD", "");
        run("feature/sneaky", "build", noCredentials, false);
        Command push = run("feature/sneaky", "push", noCredentials, true);

        assertThat(push.exitCode()).isNotZero();
        assertThat(push.output()).containsAnyOf("unauthorized", "no basic auth credentials");
        assertThat(tags()).doesNotContain("9.9.9");
    }

    @Test
    void masterBakesItsShaVersionIntoTheImage() throws Exception {
        String sha = commitApp("master");
        ci("master", "build");

        String env = String.join("\n", Command.docker("image", "inspect", "--format", "{{join .Config.Env \"\\n\"}}",
                registry + "/hello-django:master-" + sha));
        assertThat(env).contains("APP_VERSION=master-" + sha);
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

    /** Runs ci/<script> as the release job does (BRANCH_NAME set, credentials in the environment); must succeed. */
    private Command ci(String branch, String script) {
        return ci(branch, script, Map.of());
    }

    private Command ci(String branch, String script, Map<String, String> extra) {
        return run(branch, script, extra, false);
    }

    /** Runs ci/<script>; {@code mayFail} leaves the exit code to the caller. */
    private Command run(String branch, String script, Map<String, String> extra, boolean mayFail) {
        Map<String, String> env = new HashMap<>(Map.of("BRANCH_NAME", branch, "REGISTRY", registry,
                "REGISTRY_USER", USER, "REGISTRY_PASSWORD", PASSWORD,
                "BASE_IMAGE", RinpocheImages.image("django").asCanonicalNameString()));
        env.putAll(extra);
        Command result = Command.run(Duration.ofMinutes(5), env, List.of(checkout.resolve("ci/" + script).toString()));
        if (!mayFail) {
            assertThat(result.exitCode()).as("ci/%s on %s:%n%s", script, branch, result.output()).isZero();
        }
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
