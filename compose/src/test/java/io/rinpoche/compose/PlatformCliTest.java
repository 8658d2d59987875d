package io.rinpoche.compose;

import static org.assertj.core.api.Assertions.assertThat;

import io.rinpoche.testing.Command;
import io.rinpoche.testing.RinpocheImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The `./platform` command line: usage, help and refusals that need no Docker engine. */
class PlatformCliTest {

    private static final Duration QUICK = Duration.ofSeconds(30);
    private final Platform platform = new Platform(Map.of());

    @Test
    void unknownCommandPrintsUsageAndExits2() {
        Command run = platform.run(QUICK, "deploy-everything");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.output()).contains("unknown command: deploy-everything").contains("usage: ./platform");
    }

    @Test
    void noCommandPrintsUsageAndExits2() {
        Command run = platform.run(QUICK);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.output()).contains("usage: ./platform");
    }

    @ParameterizedTest
    @ValueSource(strings = {"setup", "base", "build", "up", "down", "status", "logs", "test", "new-app", "backup", "backups", "restore", "swarm"})
    void everyCommandHasHelp(String command) {
        Command run = platform.run(QUICK, command, "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.output()).startsWith("usage: ./platform " + command);
    }

    @Test
    void droppingVolumesNeedsConfirmation() {
        Command run = platform.run(QUICK, "down", "--volumes");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.output()).contains("add --yes");
    }

    @Test
    void unknownOptionIsRefused() {
        Command run = platform.run(QUICK, "up", "--fast");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.output()).contains("unknown argument for up: --fast");
    }

    @Test
    void anUnknownEngineIsRefused() {
        Command run = platform.run(QUICK, "up", "--engine", "kubernetes");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.output()).contains("unknown engine: kubernetes (compose or swarm)");
    }

    @Test
    void swarmCommandsSayWhatIsMissing() {
        Platform noEngine = new Platform(Map.of("DOCKER_HOST", "unix:///nonexistent/rinpoche-cli.sock"));
        Command nodes = noEngine.run(QUICK, "swarm", "nodes");
        Command bad = platform.run(QUICK, "swarm", "grow");

        assertThat(nodes.exitCode()).as(nodes.output()).isEqualTo(1);
        assertThat(nodes.output()).contains("no Docker engine: run ./platform setup");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.output()).contains("unknown argument for swarm: grow");
    }

    /** A bad catalogue entry stops `up` with the file and line of each error, before anything starts. */
    @Test
    void upWithABadCatalogueNamesTheErrorsAndStartsNothing(@TempDir Path dir) throws IOException {
        Path apps = Files.createDirectories(dir.resolve("apps/shop"));
        Files.writeString(apps.resolve("app.yaml"), "name: shop\nenvironments:\n  staging:\n    hots: [shop.example.com]\n");
        Files.copy(RinpocheImages.root().resolve("apps/hello-django/app.yaml"), Files.createDirectories(dir.resolve("apps/hello"))
                .resolve("app.yaml"));
        Platform bad = new Platform(Map.of("RINPOCHE_APPS_DIR", dir.resolve("apps").toString(),
                "RINPOCHE_STATE_DIR", dir.resolve("state").toString(), "RINPOCHE_PROJECT_PREFIX", "rinpoche-cli-bad"));

        Command run = bad.run(Duration.ofMinutes(3), "up");

        assertThat(run.exitCode()).as(run.output()).isEqualTo(1);
        assertThat(run.output()).contains(dir.resolve("apps/shop/app.yaml") + ":4: unknown key 'hots' in environments.staging",
                dir.resolve("apps/hello/app.yaml") + ":2: the name 'hello-django' differs from its folder 'hello'")
                .doesNotContain("setup: Docker engine", "build:", "up: rinpoche-cli-bad");
        assertThat(dir.resolve("state/generated")).doesNotExist();
    }

    /** A host with neither Docker nor apt-get: setup must say what to install instead of failing obscurely. */
    @Test
    void setupWithoutDockerOrAptSaysWhatToInstall(@TempDir Path bin) throws IOException {
        for (String tool : List.of("bash", "cat", "dirname", "id", "grep", "seq", "sleep", "env")) {
            Path real = Files.exists(Path.of("/usr/bin", tool)) ? Path.of("/usr/bin", tool) : Path.of("/bin", tool);
            Path wrapper = bin.resolve(tool);
            Files.writeString(wrapper, "#!/bin/sh\nexec " + real + " \"$@\"\n");
            wrapper.toFile().setExecutable(true);
        }
        Platform bare = new Platform(Map.of("PATH", bin.toString()));

        Command run = bare.run(QUICK, "setup");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.output())
                .contains("no usable Docker engine")
                .contains("Install Docker Engine")
                .contains("step \"setup: Docker engine\" failed");
    }
}
