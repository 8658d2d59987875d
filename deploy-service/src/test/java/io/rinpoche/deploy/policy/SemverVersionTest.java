package io.rinpoche.deploy.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Version tags and SemVer 2.0.0 precedence. */
class SemverVersionTest {

    @Test
    void ordersAsTheSpecificationsExample() {
        // https://semver.org/#spec-item-11
        List<String> ordered = List.of("1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta",
                "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.1", "1.1.0", "2.0.0", "10.0.0");
        for (int i = 0; i + 1 < ordered.size(); i++) {
            SemverVersion lower = SemverVersion.parse(ordered.get(i)).orElseThrow();
            SemverVersion higher = SemverVersion.parse(ordered.get(i + 1)).orElseThrow();
            assertThat(lower).as(lower + " < " + higher).isLessThan(higher);
        }
    }

    @Test
    void onlyFullVersionsAreVersionTags() {
        assertThat(SemverVersion.parse("v1.2.3")).contains(SemverVersion.of(1, 2, 3));
        assertThat(SemverVersion.parse("1.2")).isEmpty();
        assertThat(SemverVersion.parse("01.2.3")).isEmpty();
        assertThat(SemverVersion.parse("1.2.3-01")).isEmpty();
        assertThat(SemverVersion.parse("develop-abc123")).isEmpty();
        assertThat(SemverVersion.parse("99999999999.0.0")).isEmpty();
    }
}
