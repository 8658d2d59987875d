package io.rinpoche.deploy.faults;

import static io.rinpoche.deploy.web.HookRequestsAccess.registryPush;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import io.rinpoche.deploy.FakeEngine;
import io.rinpoche.deploy.FakeEngineConfiguration;
import io.rinpoche.deploy.model.Environment;
import io.rinpoche.deploy.model.ServiceName;
import io.rinpoche.deploy.queue.RolloutScheduler;
import io.rinpoche.deploy.state.Git;
import io.rinpoche.deploy.web.HookRequestsAccess;
import io.rinpoche.deploy.web.api.ApiRequests;
import io.rinpoche.testing.Command;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The state repository on a full volume (a 4 MiB tmpfs, filled by a file): every hook is answered 503 and nothing is
 * queued or rolled, and health says DEGRADED and why; a rollout that was running when the volume filled up still ends (its outcome is logged, the
 * history cannot take it); once there is space again, the redelivered hooks are accepted, every hook's pin is
 * committed, the repository passes {@code git fsck --strict}, no lock file is left, and the service runs the last pin.
 * Needs root, to mount the tmpfs (skipped otherwise, saying why).
 */
@Import(FakeEngineConfiguration.class)
@SpringBootTest(properties = {"HOOK_TOKEN=" + HookRequestsAccess.HOOK_TOKEN, "ADMIN_TOKEN=" + ApiRequests.ADMIN_TOKEN,
        "rinpoche.state.reconcile-interval=1s"})
@AutoConfigureMockMvc
class FullStateVolumeTest {

    private static final Path VOLUME = temporaryDirectory();
    private static final Path STATE = VOLUME.resolve("state");
    private static final Path FILLER = VOLUME.resolve("filler");

    @Autowired
    private MockMvc mvc;

    @Autowired
    private FakeEngine engine;

    @Autowired
    private RolloutScheduler scheduler;

    @DynamicPropertySource
    static void state(DynamicPropertyRegistry registry) {
        registry.add("rinpoche.state.directory", STATE::toString);
    }

    @BeforeAll
    static void mount() {
        Command mounted = Command.run(Duration.ofSeconds(10), Map.of(),
                List.of("mount", "-t", "tmpfs", "-o", "size=4m", "rinpoche-full-state", VOLUME.toString()));
        Assumptions.assumeTrue(mounted.exitCode() == 0, "cannot mount a tmpfs (needs root): " + mounted.output());
    }

    @AfterAll
    static void unmount() {
        Command.run(Duration.ofSeconds(10), Map.of(), List.of("umount", VOLUME.toString()));
        VOLUME.toFile().delete();
    }

    @Test
    void hooksGet503WhileTheVolumeIsFullAndNothingIsLostOnceThereIsSpace() throws Exception {
        engine.run("staging", "app", "127.0.0.1:5000/hello-django:develop-0");
        for (int i = 1; i <= 3; i++) {
            assertThat(status(i)).isEqualTo(202);
        }
        await().atMost(Duration.ofSeconds(30)).until(scheduler::idle);
        // A rollout running when the volume fills up.
        engine.hold();
        assertThat(status(4)).isEqualTo(202);
        engine.awaitStarted(4);
        long filled = fill();
        engine.release();
        await().atMost(Duration.ofSeconds(30)).until(scheduler::idle);

        int rolledBefore = engine.rolled().size();
        List<Integer> whileFull = new ArrayList<>();
        for (int i = 5; i <= 12; i++) {
            whileFull.add(status(i));
        }
        String health = mvc.perform(get("/actuator/health")).andReturn().getResponse().getContentAsString();
        int rolledWhileFull = engine.rolled().size();

        Files.delete(FILLER);
        long back = System.nanoTime();
        List<Integer> redelivered = new ArrayList<>();
        for (int i = 5; i <= 12; i++) {
            redelivered.add(status(i));
        }
        await().atMost(Duration.ofSeconds(30)).until(scheduler::idle);
        String healthAfter = mvc.perform(get("/actuator/health")).andReturn().getResponse().getContentAsString();
        // Commits with the pin of each hook, oldest first.
        List<String> pinned = Git.run(STATE, "log", "--reverse", "--format=%s", "main").lines()
                .filter(line -> line.startsWith("deploy ")).toList();
        String fsck = Git.run(STATE, "fsck", "--strict", "--no-progress");
        List<Path> locks;
        try (Stream<Path> files = Files.walk(STATE)) {
            locks = files.filter(path -> path.toString().endsWith(".lock")).toList();
        }
        System.out.printf("full state volume: filled with %d KiB; hooks while full answered %s (rollouts started: "
                        + "%d); after freeing it, redeliveries answered %s and rolled out within %d ms; %d commits "
                        + "pin a hook's image; health while full: %s%n", filled / 1024, whileFull,
                rolledWhileFull - rolledBefore, redelivered, (System.nanoTime() - back) / 1_000_000,
                pinned.size(), health.replaceFirst(".*(\"deployService\":\\{.*?\\}),\"diskSpace\".*", "$1"));

        assertThat(whileFull).containsOnly(503);
        assertThat(health).contains("\"status\":\"DEGRADED\"").contains("the state repository cannot be written");
        assertThat(healthAfter).doesNotContain("DEGRADED");
        assertThat(redelivered).containsOnly(202);
        assertThat(locks).isEmpty();
        assertThat(fsck).isEmpty();
        for (int i = 1; i <= 12; i++) {
            String tag = "-> hello-django:develop-" + i + "@";
            assertThat(pinned).as("the intent of hook " + i).anyMatch(line -> line.contains(tag));
        }
        String pin = Git.run(STATE, "show", "main:env/staging.images.env");
        String running = engine.services(Environment.of("staging")).stream()
                .filter(service -> service.service().equals(ServiceName.of("app"))).findFirst().orElseThrow()
                .image().digest().value();
        assertThat(pin).contains(":develop-12@" + running);
        assertThat(rolledWhileFull).as("nothing rolled for a hook answered 503").isEqualTo(rolledBefore);
    }

    private int status(int n) throws Exception {
        return mvc.perform(registryPush(n)).andReturn().getResponse().getStatus();
    }

    // Writes the filler until the volume refuses more; returns how many bytes it holds.
    private static long fill() throws IOException {
        byte[] page = new byte[4096];
        long written = 0;
        try (OutputStream out = Files.newOutputStream(FILLER)) {
            while (true) {
                out.write(page);
                out.flush();
                written += page.length;
            }
        } catch (IOException full) {
            if (!full.getMessage().contains("No space left")) {
                throw full;
            }
        }
        return written;
    }

    private static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("rinpoche-full-state");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
