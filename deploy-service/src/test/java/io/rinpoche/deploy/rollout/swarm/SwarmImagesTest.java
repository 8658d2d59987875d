package io.rinpoche.deploy.rollout.swarm;

import java.util.Map;
import io.rinpoche.deploy.rollout.EngineSettings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rinpoche.deploy.model.Digest;
import io.rinpoche.deploy.model.Environment;
import io.rinpoche.deploy.model.ImageRef;
import org.junit.jupiter.api.Test;

class SwarmImagesTest {

    private static final String DIGEST = "sha256:" + "ab".repeat(32);

    @Test
    void aServiceRunsTheTagPinnedToTheDigest() {
        assertThat(SwarmImages.pinned(ImageRef.parse("registry:5000/team/app:1.2"), Digest.parse(DIGEST)))
                .isEqualTo("registry:5000/team/app:1.2@" + DIGEST);
    }

    @Test
    void reportsShowTheTagAndTheDigestApart() {
        String image = "registry:5000/team/app:1.2@" + DIGEST;

        assertThat(SwarmImages.reference(image)).isEqualTo("registry:5000/team/app:1.2");
        assertThat(SwarmImages.digest(image)).contains(Digest.parse(DIGEST));
        assertThat(SwarmImages.reference("registry:5000/team/app@" + DIGEST)).isEqualTo("registry:5000/team/app@" + DIGEST);
        assertThat(SwarmImages.digest("registry:5000/team/app:1.2")).isEmpty();
    }

    @Test
    void anEnvironmentIsAStackNamedAfterThePrefix() {
        assertThat(SwarmEngineSettings.defaults().stack(Environment.of("production"))).isEqualTo("rinpoche-production");
        assertThatThrownBy(() -> EngineSettings.bind(SwarmEngineSettings.class, Map.of("stack-prefix", "Bad Prefix")))
                .hasMessageContaining("stack-prefix");
        assertThatThrownBy(() -> EngineSettings.bind(SwarmEngineSettings.class, Map.of("health-timeout", "0s")))
                .hasMessageContaining("health-timeout");
    }

    @Test
    void nginxIsToldWhereToRouteOnlyWhenADirectoryIsSet() {
        SwarmEngineSettings defaults = SwarmEngineSettings.defaults();
        assertThat(defaults.proxyUpstreams()).isNull();
        assertThat(defaults.proxyService()).isEqualTo("nginx");
        assertThat(defaults.appPort()).isEqualTo(8000);
        assertThat(EngineSettings.bind(SwarmEngineSettings.class, Map.of("proxy-upstreams", "/var/lib/rinpoche-upstreams"))
                .proxyUpstreams()).isEqualTo("/var/lib/rinpoche-upstreams");
        assertThatThrownBy(() -> EngineSettings.bind(SwarmEngineSettings.class, Map.of("app-port", "0")))
                .hasMessageContaining("app-port");
    }
}
