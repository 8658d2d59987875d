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
        assertThat(settings.proxyUpstreams()).as("no upstream files: the engine relies on DNS").isNull();
        assertThat(settings.proxyService()).isEqualTo("nginx");
        assertThat(settings.appPort()).isEqualTo(8000);
        assertThat(settings.drainTimeout()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void aBlankUpstreamsDirectoryIsNone() {
        assertThat(ComposeEngineSettings.defaults().withProxyUpstreams(" ").proxyUpstreams()).isNull();
        assertThat(ComposeEngineSettings.defaults().withProxyUpstreams("/var/lib/rinpoche-upstreams").proxyUpstreams())
                .isEqualTo("/var/lib/rinpoche-upstreams");
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
        assertThatThrownBy(() -> new ComposeEngineSettings(null, null, null, null, null, null, null, null, null, null,
                null, 70000, null)).hasMessageContaining("app-port");
        assertThatThrownBy(() -> new ComposeEngineSettings(null, null, null, null, null, null, null, null, null, null,
                null, null, Duration.ZERO)).hasMessageContaining("drain-timeout");
    }
}
