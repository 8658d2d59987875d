package io.rinpoche.deploy.rollout.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.rinpoche.deploy.rollout.EngineSettings;
import io.rinpoche.deploy.model.DeployRequest;
import io.rinpoche.deploy.model.Digest;
import io.rinpoche.deploy.model.ImageRef;
import io.rinpoche.deploy.rollout.ImageCheck;
import io.rinpoche.deploy.rollout.Load;
import io.rinpoche.deploy.rollout.RegistryTags;
import io.rinpoche.deploy.rollout.RolloutException;
import io.rinpoche.deploy.rollout.registry.RegistryLogin;
import io.rinpoche.deploy.state.Git;
import io.rinpoche.testing.Command;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The packaged deploy service on a real stack, its state repository pushed to a bare remote, under load through
 * nginx throughout, and not one failed request:
 * <ol>
 *   <li>killed with SIGKILL right after it acknowledged a deploy, and in the middle of a rollout; started again
 *       on the same state repository, it converges: the app on the deploy's image, one container per replica,
 *       no container left over;</li>
 *   <li>a pin a person pushes to the remote is rolled out within the reconcile interval, with the author as
 *       the trigger;</li>
 *   <li>a rollback to a revision of the state repository puts back the exact image that revision pinned;</li>
 *   <li>a pin to an image that does not exist is a FAILED deploy with the pull's error, its pin is restored and
 *       the running service is left alone;</li>
 *   <li>trusted images only (rinpoche/registry, two pushes to one tag): a hook with the digest the tag pointed to
 *       before is refused, recorded as FAILED with the reason, and leaves the service alone; a hook with the digest the
 *       tag points to now is deployed; and a hook deploy never runs a local image whose id merely equals its digest.</li>
 * </ol>
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DesiredStateIT {

    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([0-9a-f]+)\"");
    private static ComposeStack stack;
    private static DeployServiceProcess service;
    private static Load load;
    private static Path dir;
    private static TestRegistry registry;

    @BeforeAll
    static void start() throws Exception {
        stack = ComposeStack.start();
        registry = TestRegistry.start();
        dir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "desired-state-").toAbsolutePath();
        Git.run(dir, "init", "-q", "--bare", "--initial-branch=main", "remote.git");
        service = new DeployServiceProcess(stack, dir.resolve("state"), dir.resolve("remote.git"),
                dir.resolve("deploy-service.log")).pullingFrom(registry);
        service.start();
        load = Load.start(stack.url(), 4);
    }

    @AfterAll
    static void stop() throws Exception {
        if (load != null) {
            load.close();
            System.out.println("DesiredStateIT load through nginx: " + Load.figures(load.samples()));
        }
        if (service != null) {
            service.close();
        }
        if (registry != null) {
            registry.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @Order(1)
    void killedRightAfterAcknowledgingADeployItStillDeploysOnceBack() throws Exception {
        String id = deploy(stack.version(2).toString());
        service.kill();

        service.start();

        awaitConverged("v2", id);
    }

    @Test
    @Order(2)
    void killedInTheMiddleOfARolloutItConvergesWithoutLeftovers() throws Exception {
        String id = deploy(stack.version(3).toString());
        // Half way: the new replica runs beside the old one.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> app("status=running").size() == 2);
        service.kill();
        assertThat(app()).as("left by the kill").hasSize(2);

        service.start();

        awaitConverged("v3", id);
        assertThat(service.logText()).contains("recover " + stack.environment() + ": ");
    }

    @Test
    @Order(3)
    void aPinAPersonPushesToTheRemoteIsRolledOutWithTheAuthorAsTrigger() throws Exception {
        Path clone = dir.resolve("clone");
        Git.run(dir, "clone", "-q", dir.resolve("remote.git").toString(), clone.toString());
        Path file = clone.resolve("env/" + stack.environment() + ".images.env");
        Files.writeString(file, Files.readString(file).replace(stack.version(3).toString(), stack.version(4).toString()));
        Git.run(clone, "-c", "user.name=Ada Lovelace", "-c", "user.email=ada@example.com", "commit", "-q", "-am",
                "Try v4 on " + stack.environment());
        Git.run(clone, "push", "-q", "origin", "main");
        String id = Git.run(clone, "rev-parse", "--short=12", "HEAD").strip();

        awaitConverged("v4", id);
        assertThat(service.get("/api/deployments?size=1").body())
                .contains("\"trigger\":{\"kind\":\"git\",\"user\":\"Ada Lovelace <ada@example.com>\"}");
    }

    @Test
    @Order(4)
    void aRollbackToARevisionPutsBackTheExactImageItPinned() throws Exception {
        // The intent commit of the first test's deploy pinned v2.
        String revision = Git.run(dir.resolve("remote.git"), "log", "--format=%h", "--grep=-> .*:v2 ", "main").strip();
        assertThat(revision).isNotEmpty().doesNotContain("\n");

        HttpResponse<String> response = service.post("/api/rollback", "{\"environment\":\"" + stack.environment()
                + "\",\"service\":\"app\",\"to\":\"" + revision + "\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        Matcher id = ID.matcher(response.body());
        assertThat(id.find()).isTrue();

        awaitConverged("v2", id.group(1));
        String running = docker(List.of("docker", "inspect", "-f", "{{.Image}}", app().get(0))).get(0);
        String pinned = docker(List.of("docker", "image", "inspect", "-f", "{{.Id}}", stack.version(2).toString())).get(0);
        assertThat(running).isEqualTo(pinned);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Git.run(dir.resolve("remote.git"), "show",
                "main:env/" + stack.environment() + ".images.env")).contains("APP_IMAGE=" + stack.version(2)));
    }

    @Test
    @Order(5)
    void aPinToAnImageThatDoesNotExistIsRecordedAsFailedAndLeavesTheServiceAlone() throws Exception {
        Path clone = dir.resolve("clone");
        Git.run(clone, "pull", "-q", "--ff-only");
        Path file = clone.resolve("env/" + stack.environment() + ".images.env");
        // A registry on this host that does not answer: the pull fails here, nothing leaves the machine.
        Files.writeString(file, "APP_IMAGE=127.0.0.1:9/no-such-image:1\n");
        Git.run(clone, "-c", "user.name=Ada Lovelace", "-c", "user.email=ada@example.com", "commit", "-q", "-am",
                "Pin an image that does not exist");
        Git.run(clone, "push", "-q", "origin", "main");
        String running = app().get(0);

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(service.get("/api/deployments?size=1").body()).contains("\"outcome\":\"failed\"")
                        .contains("\"reason\":\"cannot pull 127.0.0.1:9/no-such-image:1"));
        // Pushed soon after the outcome's commit, on the remote's own thread.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Git.run(dir.resolve("remote.git"), "show",
                "main:env/" + stack.environment() + ".images.env")).as("the pin is restored")
                .contains("APP_IMAGE=" + stack.version(2)));
        assertThat(app()).containsExactly(running);
        long since = System.nanoTime();
        load.awaitAnswersSince(since, 20);
        assertThat(load.startedBetween(since, System.nanoTime())).extracting(Load.Sample::version).containsOnly("v2");
        assertThat(load.samples().stream().filter(Load.Sample::failed)).isEmpty();
    }

    @Test
    @Order(6)
    void aHookWithADigestItsTagNoLongerPointsToIsRefusedAndTheCurrentOneDeployed() throws Exception {
        String tag = DeployServiceProcess.HOOK_REPOSITORY + ":release-1";
        String before = registry.push(stack.version(5).toString(), tag);
        String now = registry.push(stack.version(6).toString(), tag);
        String running = app().get(0);

        HttpResponse<String> stale = service.hook("it-stale", registry.address(), DeployServiceProcess.HOOK_REPOSITORY,
                "release-1", before);

        assertThat(stale.statusCode()).as(stale.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(service.get("/api/deployments?size=1").body()).contains("\"eventId\":\"it-stale\"")
                        .contains("\"outcome\":\"failed\"").contains("points to " + now + ", not to " + before));
        // Pushed soon after the outcome's commit, on the remote's own thread.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Git.run(dir.resolve("remote.git"), "show",
                "main:env/" + stack.environment() + ".images.env")).as("the pin is restored")
                .contains("APP_IMAGE=" + stack.version(2)));
        assertThat(app()).containsExactly(running);

        HttpResponse<String> current = service.hook("it-current", registry.address(),
                DeployServiceProcess.HOOK_REPOSITORY, "release-1", now);

        assertThat(current.statusCode()).as(current.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(service.get("/api/deployments?size=1").body()).contains("\"eventId\":\"it-current\"")
                        .contains("\"outcome\":\"deployed\""));
        awaitConverged("v6", null);
    }

    @Test
    @Order(7)
    void aHookDeployNeverRunsALocalImageWhoseIdEqualsItsDigest() throws Exception {
        String localId = docker(List.of("docker", "image", "inspect", "-f", "{{.Id}}", stack.version(7).toString())).get(0);
        ImageRef image = ImageRef.of(registry.address(), DeployServiceProcess.HOOK_REPOSITORY, "release-7",
                Digest.parse(localId));
        // Only the local id is at stake here: a registry that vouched for the id would pass the tag check.
        RegistryTags vouching = ref -> Digest.parse(localId);
        String running = app().get(0);
        try (ComposeRolloutEngine engine = new ComposeRolloutEngine(
                EngineSettings.bind(ComposeEngineSettings.class, Map.of("project-prefix", stack.projectPrefix())),
                new RegistryLogin(registry.address(), TestRegistry.USER, registry.password(), null), vouching,
                Clock.systemUTC())) {
            DeployRequest request = new DeployRequest(stack.environment(), stack.service(), image);

            assertThatThrownBy(() -> engine.roll(request, ImageCheck.TAG_AT_REGISTRY))
                    .isInstanceOf(RolloutException.class).hasMessageContaining("cannot pull " + image.pinned());
        }
        assertThat(app()).containsExactly(running);
    }

    private static String deploy(String image) throws Exception {
        HttpResponse<String> response = service.post("/api/deployments", "{\"environment\":\"" + stack.environment()
                + "\",\"service\":\"app\",\"image\":\"" + image + "\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        Matcher id = ID.matcher(response.body());
        assertThat(id.find()).isTrue();
        return id.group(1);
    }

    // The app answers with `version`, its one container runs it, nothing else of the rollout is left, the
    // history holds the deploy's outcome under the acknowledged id, and no request failed.
    private static void awaitConverged(String version, String id) throws Exception {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            if (id != null) {
                assertThat(service.get("/api/deployments?size=5").body()).contains("\"id\":\"" + id + "\"")
                        .contains("\"outcome\":\"deployed\"");
            }
            assertThat(app()).hasSize(1);
        });
        long since = System.nanoTime();
        load.awaitAnswersSince(since, 20);
        assertThat(load.startedBetween(since, System.nanoTime())).extracting(Load.Sample::version).containsOnly(version);
        assertThat(probes()).isEmpty();
        List<Load.Sample> failed = load.samples().stream().filter(Load.Sample::failed).toList();
        assertThat(failed).as(Load.figures(load.samples())).isEmpty();
    }

    // The app's containers, running or not, that match every filter.
    private static List<String> app(String... filters) {
        List<String> argv = new ArrayList<>(List.of("docker", "ps", "-a", "-q", "--filter",
                "label=com.docker.compose.project=" + stack.project(), "--filter", "label=com.docker.compose.service=app"));
        for (String filter : filters) {
            argv.addAll(List.of("--filter", filter));
        }
        return docker(argv);
    }

    // Probes carry no compose labels, only the rollout's.
    private static List<String> probes() {
        return docker(List.of("docker", "ps", "-a", "-q", "--filter", "label=io.rinpoche.rollout.project=" + stack.project(),
                "--filter", "label=io.rinpoche.rollout.role=probe"));
    }

    private static List<String> docker(List<String> argv) {
        Command result = Command.run(Duration.ofSeconds(30), Map.of(), argv);
        assertThat(result.exitCode()).as(result.output()).isZero();
        return result.output().lines().filter(line -> !line.isBlank()).toList();
    }
}
