package io.rinpoche.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The clean-up of a test's registry images, on the real engine, in the situation that once broke a host: the test
 * tagged the image of the host's running app into its own registry. Only the test's names go; the host's image,
 * its name and its container stay, and so does an image an outside container still uses.
 */
class OwnImagesIT {

    private final String id = UUID.randomUUID().toString().substring(0, 8);
    /** A registry name of this test only (nothing listens there: tags need no registry). */
    private final String registry = "rinpoche-it-" + id + ".invalid:5000";
    private final String hostApp = "rinpoche-it/host-app-" + id + ":1";
    private final String hostContainer = "rinpoche-it-host-app-" + id;
    private final String stoppedContainer = "rinpoche-it-stopped-" + id;

    @BeforeEach
    void theHostRunsItsApp() {
        build(hostApp, "host");
        Command.docker("run", "-d", "--name", hostContainer, hostApp, "sleep", "infinity");
    }

    @AfterEach
    void removeWhatThisTestMade() {
        Command.run(Duration.ofMinutes(1), Map.of(), List.of("docker", "rm", "-f", hostContainer, stoppedContainer));
        OwnImages.removeFromRegistry(registry);
        OwnImages.remove(List.of(hostApp));
    }

    @Test
    void removesOnlyTheTestsNamesAndNoImageAContainerOutsideUses() {
        String hostImage = imageId(hostApp);
        String seed = registry + "/hello-django:seed-1";
        Command.docker("tag", hostApp, seed);
        String own = registry + "/hello-django:own-1";
        build(own, "own");
        String ownImage = imageId(own);
        // A stopped container outside the test, made from an image the test's name is the last name of.
        String used = registry + "/hello-django:used-1";
        build(used, "used");
        Command.docker("create", "--name", stoppedContainer, used, "true");

        List<String> stayed = OwnImages.removeFromRegistry(registry);

        assertThat(imageId(hostApp)).isEqualTo(hostImage);
        assertThat(Command.docker("inspect", "-f", "{{.State.Running}} {{.Image}}", hostContainer))
                .containsExactly("true " + hostImage);
        assertThat(exists(seed)).isFalse();
        assertThat(exists(own)).isFalse();
        assertThat(exists(ownImage)).as("an image only the test named is gone").isFalse();
        assertThat(exists(used)).isTrue();
        assertThat(stayed).singleElement().asString().startsWith(used + ": ");
    }

    /** Builds a unique image (a label on the base image: no layer, made in a moment) named {@code reference}. */
    private void build(String reference, String what) {
        Command built = Command.run(Duration.ofMinutes(2), Map.of(), List.of("docker", "build", "-q", "-t", reference,
                "--label", "io.rinpoche.it=" + id + "-" + what, "-"), "FROM debian:trixie-slim\n");
        assertThat(built.exitCode()).as(built.output()).isZero();
    }

    private static String imageId(String reference) {
        return Command.docker("image", "inspect", "-f", "{{.Id}}", reference).get(0);
    }

    private static boolean exists(String reference) {
        return Command.run(Duration.ofMinutes(1), Map.of(), List.of("docker", "image", "inspect", reference)).exitCode() == 0;
    }
}
