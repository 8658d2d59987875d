package io.rinpoche.deploy.rollout.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rinpoche.deploy.rollout.EngineSettings;
import io.rinpoche.deploy.model.Environment;
import java.time.Duration;
import java.util.Map;
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
        assertThat(EngineSettings.bind(ComposeEngineSettings.class, Map.of("proxy-upstreams", " ")).proxyUpstreams()).isNull();
        assertThat(EngineSettings.bind(ComposeEngineSettings.class, Map.of("proxy-upstreams", "/var/lib/rinpoche-upstreams")).proxyUpstreams())
                .isEqualTo("/var/lib/rinpoche-upstreams");
    }

    @Test
    void anEnvironmentIsAProjectUnderTheConfiguredPrefix() {
        assertThat(EngineSettings.bind(ComposeEngineSettings.class, Map.of("project-prefix", "acme")).project(Environment.of("staging")))
                .isEqualTo("acme-staging");
    }

    @Test
    void refusesValuesThatCannotWork() {
        assertThatThrownBy(() -> EngineSettings.bind(ComposeEngineSettings.class, Map.of("project-prefix", "Not A Prefix")))
                .hasMessageContaining("project-prefix");
        assertThatThrownBy(() -> EngineSettings.bind(ComposeEngineSettings.class, Map.of("health-timeout", "0s")))
                .hasMessageContaining("health-timeout");
        assertThatThrownBy(() -> EngineSettings.bind(ComposeEngineSettings.class, Map.of("app-port", "70000"))).hasMessageContaining("app-port");
        assertThatThrownBy(() -> EngineSettings.bind(ComposeEngineSettings.class, Map.of("drain-timeout", "0s"))).hasMessageContaining("drain-timeout");
    }
}
