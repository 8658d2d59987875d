package io.rinpoche.deploy.rollout.swarm;

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
        assertThatThrownBy(() -> SwarmEngineSettings.defaults().withStackPrefix("Bad Prefix"))
                .hasMessageContaining("stack-prefix");
        assertThatThrownBy(() -> SwarmEngineSettings.defaults().withHealthTimeout(java.time.Duration.ZERO))
                .hasMessageContaining("health-timeout");
    }
}
