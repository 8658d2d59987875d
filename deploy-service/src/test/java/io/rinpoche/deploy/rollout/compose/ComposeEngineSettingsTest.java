package io.rinpoche.deploy.rollout.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rinpoche.deploy.model.Environment;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Defaults, project names and refused values of the compose engine's settings. */
class ComposeEngineSettingsTest {

    @Test
    void defaultsToTheLocalSocketAndTheRinpochePrefix() {
        ComposeEngineSettings settings = ComposeEngineSettings.defaults();

        assertThat(settings.dockerHost()).isEqualTo("unix:///var/run/docker.sock");
        assertThat(settings.dockerCertPath()).isNull();
        assertThat(settings.project(Environment.of("production"))).isEqualTo("rinpoche-production");
        assertThat(settings.healthTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(settings.dnsRefresh()).isGreaterThan(Duration.ofSeconds(2));
    }

    @Test
    void anEnvironmentIsAProjectUnderTheConfiguredPrefix() {
        assertThat(ComposeEngineSettings.defaults().withProjectPrefix("acme").project(Environment.of("staging")))
                .isEqualTo("acme-staging");
    }

    @Test
    void refusesValuesThatCannotWork() {
        assertThatThrownBy(() -> ComposeEngineSettings.defaults().withProjectPrefix("Not A Prefix"))
                .hasMessageContaining("project-prefix");
        assertThatThrownBy(() -> ComposeEngineSettings.defaults().withHealthTimeout(Duration.ZERO))
                .hasMessageContaining("health-timeout");
    }
}
