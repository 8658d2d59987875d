package io.rinpoche.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rinpoche.testing.Command;
import io.rinpoche.testing.RinpocheImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * rinpoche-backup on a real restic repository, without a platform: what it refuses, and that it says why.
 * No container of the compose projects it names exists (a random prefix), so a restore that got past its
 * checks would fail on them; each refusal must come first and change nothing.
 */
class BackupRepositoryIT {

    private static final String KEY = "correct-horse-" + UUID.randomUUID();
    private final String prefix = "rinpoche-backup-it-" + UUID.randomUUID().toString().substring(0, 8);

    @TempDir
    Path dir;
    private Path repository;
    private Path key;

    @BeforeEach
    void repository() throws IOException {
        repository = Files.createDirectory(dir.resolve("repository"));
        key = Files.writeString(dir.resolve("key"), KEY);
    }

    @Test
    void aRepositoryThatDoesNotExistIsNamed() {
        Command restore = backup(key, "restore");

        assertRefused(restore, "there is no backup repository at /repository");
    }

    @Test
    void aWrongKeyIsRefusedAndNothingIsWritten() throws IOException {
        snapshot("0.1.0", "2");
        List<String> before = files();

        Command restore = backup(Files.writeString(dir.resolve("wrong"), "wrong-" + KEY), "restore");
        Command backup = backup(dir.resolve("wrong"), "backup");

        assertRefused(restore, "does not open the repository at /repository: wrong key");
        assertThat(backup.exitCode()).as(backup.output()).isNotZero();
        assertThat(backup.output()).contains("wrong key");
        assertThat(files()).isEqualTo(before);
    }

    @Test
    void aSnapshotThatDoesNotExistIsRefused() {
        snapshot("0.1.0", "2");

        assertRefused(backup(key, "restore", "deadbeef"), "there is no snapshot 'deadbeef'");
    }

    @Test
    void snapshotsOfAnIncompatibleVersionAreRefused() {
        String newer = snapshot("99.0.0", "2");
        String otherFormat = snapshot("0.1.0", "1");

        assertRefused(backup(key, "restore", newer), "made by rinpoche 99.0.0, newer than this one (" + RinpocheImages.tag() + ")");
        assertRefused(backup(key, "restore", otherFormat), "has backup format 1");
    }

    @Test
    void aCompatibleSnapshotIsReadBackBeforeTheEnvironmentIsTouched() {
        String id = snapshot("0.1.0", "2");

        assertRefused(backup(key, "restore", id, "--env", "staging"), "staging's database is not running: run ./platform up first");
        assertRefused(backup(key, "restore", id, "--env", "nowhere"), "unknown environment 'nowhere'");
    }

    @Test
    void theSnapshotsAreListedWithWhatTheyHold() {
        String id = snapshot("0.1.0", "2");

        Command list = backup(key, "snapshots");

        assertThat(list.exitCode()).as(list.output()).isZero();
        assertThat(list.output()).contains(id, "version:0.1.0", "format:2", "mysql:staging", "redis:staging");
    }

    /** A pack file gone: restic check finds it and the error says the repository is damaged; restore refuses. */
    @Test
    void aCorruptRepositoryIsFoundByCheckAndRefusedByRestore() throws IOException {
        String id = snapshot("0.1.0", "2");
        assertThat(backup(key, "check").exitCode()).isZero();
        try (Stream<Path> packs = Files.walk(repository.resolve("data"))) {
            for (Path pack : packs.filter(Files::isRegularFile).toList()) {
                Files.delete(pack);
            }
        }

        Command check = backup(key, "check");
        Command restore = backup(key, "restore", id, "--env", "staging");

        assertThat(check.exitCode()).as(check.output()).isEqualTo(1);
        assertThat(check.output()).contains("the backup repository at /repository is damaged: restic check found errors");
        assertRefused(restore, "snapshot " + id + " cannot be read back");
    }

    /**
     * The scheduled service on a host where the environment is not up: its backup fails, and the metrics the alert
     * rules read say so (a failure counted, no success), while it waits to retry.
     */
    @Test
    void theScheduleCountsAFailedBackupInItsMetrics() throws Exception {
        Path metrics = Files.createDirectory(dir.resolve("metrics"));
        String name = prefix + "-schedule";
        Command started = docker(key, List.of("-d", "--name", name, "-v", metrics + ":/metrics",
                "-e", "BACKUP_FIRST_DELAY=0s", "-e", "BACKUP_RETRY=1h"), "schedule");
        assertThat(started.exitCode()).as(started.output()).isZero();
        try {
            Path prom = metrics.resolve("rinpoche_backup.prom");
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                    assertThat(prom).exists().content().contains("rinpoche_backup_failures_total 1\n"));
            assertThat(prom).content().contains("rinpoche_backup_last_success_timestamp_seconds 0\n");
            assertThat(String.join("\n", Command.docker("logs", name)))
                    .contains("mysql of staging is not running").contains("trying again in 1h");
        } finally {
            Command.docker("rm", "-f", name);
        }
    }

    private void assertRefused(Command run, String reason) {
        assertThat(run.exitCode()).as(run.output()).isEqualTo(3);
        assertThat(run.output()).startsWith("refused: ").contains(reason).endsWith("nothing was changed\n");
    }

    /**
     * A snapshot as `rinpoche-backup backup` makes it for the environment staging (a complete dump, an RDB), tagged
     * with {@code version} and {@code format}; returns its short id.
     */
    private String snapshot(String version, String format) {
        Command made = docker(key, List.of("--entrypoint", "sh"), "-c", String.join(" && ",
                "(restic cat config >/dev/null 2>&1 || restic init >/dev/null)",
                "mkdir -p /backup/staging/mysql",
                "printf 'CREATE TABLE t (id INT);\\n-- Dump completed on 2026-01-01\\n' >/backup/staging/mysql/hello_django.sql",
                "printf 'REDIS0012' >/backup/staging/redis.rdb",
                "restic backup -q --json --host rinpoche --tag rinpoche --tag version:" + version + " --tag format:" + format
                        + " --tag mysql:staging --tag redis:staging /backup | jq -r 'select(.snapshot_id) | .snapshot_id[0:8]'"));
        assertThat(made.exitCode()).as(made.output()).isZero();
        return made.output().strip();
    }

    private Command backup(Path keyFile, String... args) {
        return docker(keyFile, List.of(), args);
    }

    /** The backup image with the repository and {@code keyFile} mounted, as the platform's backup service has them. */
    private Command docker(Path keyFile, List<String> options, String... args) {
        List<String> argv = new ArrayList<>(List.of("docker", "run", "--rm",
                "-v", repository + ":/repository",
                "-v", keyFile + ":/run/secrets/restic-password:ro",
                "-v", "/var/run/docker.sock:/var/run/docker.sock",
                "-e", "RINPOCHE_PROJECT_PREFIX=" + prefix, "-e", "RINPOCHE_ENVIRONMENTS=staging"));
        argv.addAll(options);
        argv.add(RinpocheImages.image("backup").asCanonicalNameString());
        argv.addAll(List.of(args));
        return Command.run(Duration.ofMinutes(2), Map.of(), argv);
    }

    private List<String> files() throws IOException {
        try (Stream<Path> files = Files.walk(repository)) {
            return files.filter(file -> !file.toString().contains("/locks/")).map(Path::toString).sorted().toList();
        }
    }
}
