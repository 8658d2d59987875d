package io.rinpoche.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.rinpoche.testing.Command;
import io.rinpoche.testing.RinpocheImages;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The deploy service's image (built by `./platform build deploy-service` before the integration tests): it turns
 * healthy by its own health check, as its non-root user, on the AOT cache its build made. The JVM options are the
 * image's own plus {@code -XX:AOTMode=on}, with which a JVM that cannot use the cache refuses to start instead of
 * starting slowly without it (what it would do silently otherwise).
 */
class DeployServiceImageIT {

    private final String name = "rinpoche-image-it-" + UUID.randomUUID().toString().substring(0, 8);

    @AfterEach
    void remove() {
        Command.run(Duration.ofMinutes(1), Map.of(), List.of("docker", "rm", "-f", "-v", name));
    }

    @Test
    void startsHealthyOnTheAotCacheItsBuildMade() throws InterruptedException {
        String image = "rinpoche/deploy-service:" + RinpocheImages.tag();
        String options = Command.docker("image", "inspect", "-f", "{{range .Config.Env}}{{println .}}{{end}}", image)
                .stream().filter(variable -> variable.startsWith("JAVA_TOOL_OPTIONS=")).findFirst()
                .orElseThrow(() -> new AssertionError(image + " sets no JAVA_TOOL_OPTIONS"));
        Command.docker("run", "-d", "--name", name, "-e", "HOOK_TOKEN=image-it-hook-token-0123456789",
                "-e", "ADMIN_TOKEN=image-it-admin-token-0123456789",
                "-e", options + " -XX:AOTMode=on -Xlog:aot=info", image);

        assertThat(healthStatus(Duration.ofSeconds(120))).isEqualTo("healthy");
        String log = String.join("\n", Command.docker("logs", name));
        assertThat(log).contains("Using AOT-linked classes: true", "Started DeployServiceApplication")
                .doesNotContain("[warning][aot]");
        assertThat(Command.docker("exec", name, "id", "-u")).containsExactly("10002");
    }

    // The engine's view of the image's HEALTHCHECK (rinpoche-healthcheck: actuator health says UP).
    private String healthStatus(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String status = "";
        while (System.nanoTime() < deadline) {
            status = Command.docker("inspect", "-f", "{{.State.Status}} {{.State.Health.Status}}", name).get(0);
            if (!status.startsWith("running")) {
                throw new AssertionError(name + " stopped (" + status + "): " + String.join("\n", Command.docker("logs", name)));
            }
            if (status.endsWith(" healthy")) {
                return "healthy";
            }
            Thread.sleep(500);
        }
        return status;
    }
}
