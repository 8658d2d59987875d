package io.rinpoche.deploy.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rinpoche.testing.Command;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * The packaged deploy service killed with SIGKILL on a real stack, under load through nginx: right after it
 * acknowledged a deploy, and in the middle of a rollout. Started again on the same state repository, it
 * converges: the app on the deploy's image, one container per replica, no container left over, and not one
 * failed request throughout.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CrashRecoveryIT {

    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([0-9a-f]+)\"");
    private static ComposeStack stack;
    private static DeployServiceProcess service;
    private static Load load;

    @BeforeAll
    static void start() throws Exception {
        stack = ComposeStack.start();
        Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "crash-recovery-");
        service = new DeployServiceProcess(stack, dir.resolve("state"), dir.resolve("deploy-service.log"));
        service.start();
        load = Load.start(stack.url(), 4);
    }

    @AfterAll
    static void stop() throws Exception {
        if (load != null) {
            load.close();
            System.out.println("CrashRecoveryIT load through nginx: " + Load.figures(load.samples()));
        }
        if (service != null) {
            service.close();
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
            assertThat(service.get("/api/deployments?size=5").body()).contains("\"id\":\"" + id + "\"")
                    .contains("\"outcome\":\"deployed\"");
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
