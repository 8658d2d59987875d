package io.rinpoche.deploy.requests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.rinpoche.deploy.FakeEngine;
import io.rinpoche.deploy.history.Intent;
import io.rinpoche.deploy.history.Trigger;
import io.rinpoche.deploy.metrics.DeploymentMetrics;
import io.rinpoche.deploy.model.Environment;
import io.rinpoche.deploy.model.ImageRef;
import io.rinpoche.deploy.model.ServiceName;
import io.rinpoche.deploy.queue.QueueProperties;
import io.rinpoche.deploy.queue.RolloutScheduler;
import io.rinpoche.deploy.state.Git;
import io.rinpoche.deploy.state.GitDeploymentHistory;
import io.rinpoche.deploy.state.StateRemote;
import io.rinpoche.deploy.state.StateRepository;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pin files arriving from the state remote, as someone with push access could write them: staging's file is
 * replaced by a mutated one (seeded), pushed with the git command line, and the reconcile loop pulls it. Every
 * pass must pull, reconcile production (moved off its pin before each pass) as if nothing happened, and either
 * read staging's file or report it, naming the commit that last changed it; no exception may escape the pass.
 */
class PinFileFuzzTest {

    private static final int FILES = 60;
    private static final Environment STAGING = Environment.of("staging");
    private static final Environment PRODUCTION = Environment.of("production");
    private static final ServiceName APP = ServiceName.of("app");
    private static final String FILE = "env/staging.images.env";
    private static final String VALID = "# staging\nAPP_IMAGE=127.0.0.1:5000/hello-django:develop-1@sha256:" + "ab".repeat(32)
            + "\nWORKER_IMAGE=127.0.0.1:5000/hello-django:develop-1\n";

    @TempDir
    Path dir;
    private Path clone;
    private final FakeEngine engine = new FakeEngine().run("staging", "app", image(1)).run("production", "app", image(1));
    private final StateProblems problems = new StateProblems();
    private StateRepository state;
    private RolloutScheduler scheduler;
    private Reconciler reconciler;

    private static String image(int n) {
        return "127.0.0.1:5000/hello-django:" + n + ".0.0";
    }

    @BeforeEach
    void open() {
        Path remote = dir.resolve("remote.git");
        Git.run(dir, "init", "-q", "--bare", "--initial-branch=main", remote.toString());
        state = StateRepository.open(dir.resolve("state"), new StateRemote(remote.toString(), "", "", Duration.ofSeconds(30)));
        GitDeploymentHistory history = new GitDeploymentHistory(state);
        DeploymentMetrics metrics = new DeploymentMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        scheduler = new RolloutScheduler(engine, history, metrics, Clock.systemUTC(),
                new QueueProperties(2, Duration.ofSeconds(5), 0, Duration.ZERO));
        reconciler = new Reconciler(state, history, engine, scheduler, List.of(STAGING, PRODUCTION), problems, metrics,
                Clock.systemUTC());
        history.intend(new Intent("p1", PRODUCTION, APP, ImageRef.parse(image(2)), Trigger.manual("admin")));
        state.push(); // now, not soon after: the clone starts from it
        clone = dir.resolve("clone");
        Git.run(dir, "clone", "-q", remote.toString(), clone.toString());
    }

    @AfterEach
    void close() {
        scheduler.close();
        reconciler.close();
        state.close();
    }

    @Test
    void malformedPinFilesFromTheRemoteAreReportedByCommitAndStopNoOtherEnvironment() throws Exception {
        Random random = new Random(20261126L);
        int reported = 0;
        for (int i = 0; i < FILES; i++) {
            byte[] content = mutate(random, VALID.getBytes(StandardCharsets.UTF_8));
            String commit = push(content, "fuzz " + i);

            Optional<String> problem = reconcileOnce("file " + i + ": " + abbreviated(content));

            if (problem.isPresent()) {
                reported++;
                assertThat(problem.get()).as("file %d", i).startsWith(FILE)
                        .contains("last changed by commit " + commit.substring(0, 12) + ", Mallory <mallory@example.com>");
            } else {
                assertThat(state.pins(STAGING)).as("file %d was read", i).isNotNull();
            }
        }
        // Both paths were taken: files the loop read, and files it reported.
        assertThat(reported).isBetween(1, FILES - 1);
        System.out.printf("pin file fuzz: %d files pushed to the remote, %d reported by commit, %d read;"
                + " production reconciled after every one%n", FILES, reported, FILES - reported);
    }

    @Test
    void aPinFileThatIsADirectoryOrHugeIsReportedByCommitToo() throws Exception {
        Git.run(clone, "pull", "-q", "--rebase");
        Files.deleteIfExists(clone.resolve(FILE));
        Git.write(clone, FILE + "/APP_IMAGE", image(3));
        Git.run(clone, "add", "-A");
        Git.run(clone, "-c", "user.name=Mallory", "-c", "user.email=mallory@example.com", "commit", "-q", "-m", "a directory");
        Git.run(clone, "push", "-q", "origin", "main");
        String commit = Git.run(clone, "rev-parse", "HEAD").strip();

        assertThat(reconcileOnce("a directory")).get().asString()
                .isEqualTo(FILE + " is not a regular file (last changed by commit " + commit.substring(0, 12)
                        + ", Mallory <mallory@example.com>: a directory)");

        commit = push(("APP_IMAGE=" + image(3) + "\n" + "# padding\n".repeat(120_000)).getBytes(StandardCharsets.UTF_8),
                "a huge file");
        assertThat(reconcileOnce("a huge file")).get().asString()
                .startsWith(FILE + " is larger than 1024 KiB (last changed by commit " + commit.substring(0, 12));
    }

    // One pass with production moved off its pin: it must be rolled back onto it, whatever staging's file says.
    private Optional<String> reconcileOnce(String what) {
        engine.run("production", "app", image(1));
        int rolled = engine.rolled("production", "app").size();

        reconciler.reconcile();
        await().atMost(Duration.ofSeconds(10)).until(scheduler::idle);
        state.push(); // the outcome, before the next person's push (else theirs is refused as non-fast-forward)

        assertThat(problems.of(PRODUCTION)).as(what).isEmpty();
        assertThat(engine.rolled("production", "app")).as(what).hasSize(rolled + 1)
                .last().extracting(request -> request.image().toString()).isEqualTo(image(2));
        return problems.of(STAGING);
    }

    // Someone else's commit of staging's file, pushed to the remote; returns the commit that last changed the file.
    private String push(byte[] content, String message) throws Exception {
        Git.run(clone, "pull", "-q", "--rebase");
        if (Files.isDirectory(clone.resolve(FILE))) {
            Git.run(clone, "rm", "-q", "-r", FILE);
        }
        Files.createDirectories(clone.resolve(FILE).getParent());
        Files.write(clone.resolve(FILE), content);
        Git.run(clone, "add", "-A");
        Git.run(clone, "-c", "user.name=Mallory", "-c", "user.email=mallory@example.com", "commit", "-q", "--allow-empty",
                "-m", message);
        Git.run(clone, "push", "-q", "origin", "main");
        return Git.run(clone, "log", "-1", "--format=%H", "--", FILE).strip();
    }

    private static final String[] TOKENS = {"=", "@", ":", "/", "\u0000", "\r", "\t", " ", "\"", "'", "export ", "#",
            "\ufeff", "\u202e", "\ud83d\ude80", "APP_IMAGE=", "app_image=", "WORKER_IMAGE=", "A".repeat(300),
            "a".repeat(7000), "${HOME}", "$(reboot)", "\\", "sha256:", "sha256:" + "cd".repeat(32), "..", "\n", "\r\n",
            "APP_IMAGE=127.0.0.1:5000/hello-django:develop-2\n", "_IMAGE=x:1", "X_IMAGE="};

    // Seeded variants of a valid file: random bytes, flipped bytes, a cut, stray tokens, lines doubled or dropped.
    private static byte[] mutate(Random random, byte[] valid) {
        return switch (random.nextInt(6)) {
            case 0 -> {
                byte[] bytes = new byte[random.nextInt(300)];
                random.nextBytes(bytes);
                yield bytes;
            }
            case 1 -> {
                byte[] bytes = valid.clone();
                for (int i = 0, n = 1 + random.nextInt(6); i < n; i++) {
                    bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
                }
                yield bytes;
            }
            case 2 -> java.util.Arrays.copyOf(valid, random.nextInt(valid.length + 1));
            case 3 -> {
                List<String> lines = new java.util.ArrayList<>(List.of(new String(valid, StandardCharsets.UTF_8).split("\n")));
                int line = random.nextInt(lines.size());
                if (random.nextBoolean()) {
                    lines.add(line, lines.get(line));
                } else {
                    lines.remove(line);
                }
                yield String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
            }
            default -> {
                StringBuilder text = new StringBuilder(new String(valid, StandardCharsets.UTF_8));
                for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
                    text.insert(random.nextInt(text.length() + 1), TOKENS[random.nextInt(TOKENS.length)]);
                }
                yield text.toString().getBytes(StandardCharsets.UTF_8);
            }
        };
    }

    private static String abbreviated(byte[] content) {
        String text = new String(content, StandardCharsets.UTF_8);
        return text.length() > 200 ? text.substring(0, 200) + "... (" + content.length + " bytes)" : text;
    }
}
