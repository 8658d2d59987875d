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

/**
 * The compose files as `./platform` resolves them (`docker compose config`, no engine needed): no generated secret's
 * value is in any service's configuration, which is what `docker inspect` would show; each is a secret file.
 */
class ComposeSecretsTest {

    @Test
    void noStackCarriesASecretValue(@TempDir Path state) throws IOException {
        for (String stack : List.of("platform --profile grafana --profile ci", "production", "staging")) {
            Command config = platform(state, "stack_compose " + stack + " config");

            assertThat(config.exitCode()).as(config.output()).isZero();
            for (String line : Files.readAllLines(state.resolve("secrets.env"))) {
                assertThat(config.output()).as("%s: %s", stack, line.substring(0, line.indexOf('=')))
                        .doesNotContain(line.substring(line.indexOf('=') + 1));
            }
        }
    }

    /** Grafana's admin password is its own secret, as a file; not the deploy service's admin token. */
    @Test
    void grafanaHasAPasswordOfItsOwnAsAFile(@TempDir Path state) throws IOException {
        Command config = platform(state, "stack_compose platform --profile grafana config grafana");

        assertThat(config.exitCode()).as(config.output()).isZero();
        assertThat(config.output()).contains("GF_SECURITY_ADMIN_PASSWORD__FILE: /run/secrets/GRAFANA_ADMIN_PASSWORD")
                .contains("source: GRAFANA_ADMIN_PASSWORD").doesNotContain("GF_SECURITY_ADMIN_PASSWORD:");
        assertThat(state.resolve("secrets/platform/GRAFANA_ADMIN_PASSWORD")).hasContent(secret(state, "GRAFANA_ADMIN_PASSWORD"));
        assertThat(secret(state, "GRAFANA_ADMIN_PASSWORD")).hasSize(32).isNotEqualTo(secret(state, "ADMIN_TOKEN"));
    }

    /** Jenkins (profile ci) gets its three secrets as files of its own, which its entrypoint reads. */
    @Test
    void jenkinsHasItsSecretsAsFiles(@TempDir Path state) throws IOException {
        Command config = platform(state, "stack_compose platform --profile ci config jenkins");

        assertThat(config.exitCode()).as(config.output()).isZero();
        assertThat(config.output()).contains("JENKINS_ADMIN_PASSWORD_FILE: /run/secrets/JENKINS_ADMIN_PASSWORD",
                "GITLAB_API_TOKEN_FILE: /run/secrets/JENKINS_GITLAB_API_TOKEN",
                "REGISTRY_PASSWORD_FILE: /run/secrets/JENKINS_REGISTRY_PASSWORD", "source: JENKINS_REGISTRY_PASSWORD")
                .doesNotContainPattern("(?m)^\\s+(JENKINS_ADMIN_PASSWORD|REGISTRY_PASSWORD|GITLAB_API_TOKEN): \\S");
        assertThat(state.resolve("secrets/platform/JENKINS_ADMIN_PASSWORD")).hasContent(secret(state, "JENKINS_ADMIN_PASSWORD"));
        assertThat(state.resolve("secrets/platform/JENKINS_REGISTRY_PASSWORD")).hasContent(secret(state, "REGISTRY_PASSWORD"));
        assertThat(state.resolve("secrets/platform/JENKINS_GITLAB_API_TOKEN")).hasContent("");
    }

    private static Command platform(Path state, String script) {
        return Command.run(Duration.ofMinutes(2), Map.of("RINPOCHE_STATE_DIR", state.toString(), "RINPOCHE_PROJECT_PREFIX",
                "rinpoche-config-test"), List.of("bash", "-c", "source \"$1\" && ensure_secrets && generate_apps >/dev/null && "
                + script, "platform", RinpocheImages.root().resolve("platform").toString()));
    }

    private static String secret(Path state, String name) throws IOException {
        return Files.readAllLines(state.resolve("secrets.env")).stream().filter(line -> line.startsWith(name + "="))
                .map(line -> line.substring(name.length() + 1)).findFirst().orElseThrow();
    }
}
