package io.rinpoche.jenkinsmaster.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rules the plugin metadata generator applies: version order, release tags, JEP-229 commits, the closure. */
class GeneratorRulesTest {

    @Test
    void versionsOrderAsJenkinsDoes() {
        assertThat(List.of("5.8.0", "5.10.1", "1.9.16", "1.9.9", "2.568.3", "2.568").stream().sorted(Versions.ORDER).toList())
                .containsExactly("1.9.9", "1.9.16", "2.568", "2.568.3", "5.8.0", "5.10.1");
        assertThat(Versions.atLeast("1502.v5c95e620ddfe", "1447.v4cb_b_539b_5321")).isTrue();
        assertThat(Versions.atLeast("1415.v831096eb_5534", "1447.v4cb_b_539b_5321")).isFalse();
        assertThat(Versions.atLeast("6.3.0-126.vd066b_d896159", "6.2.0-111.vf174d6b_8c12e")).isTrue();
        assertThat(Versions.atLeast("2.5-143.v93b_c004f89de", "2.5-149.v72471e9c6371")).isFalse();
    }

    @Test
    void releaseTagsNameTheirVersionAndOtherTagsNone() {
        assertThat(Tags.version("git-5.10.1", "git")).isEqualTo("5.10.1");
        assertThat(Tags.version("gitlab-plugin-1.9.16", "gitlab-plugin")).isEqualTo("1.9.16");
        assertThat(Tags.version("javax-activation-api-1.2.0-8", "javax-activation-api")).isEqualTo("1.2.0-8");
        assertThat(Tags.version("1511.v2e3cb_0008ef0", "credentials")).isEqualTo("1511.v2e3cb_0008ef0");
        assertThat(Tags.version("job-dsl-1.94-beta-1", "job-dsl")).isNull();
        assertThat(Tags.version("jenkins-2.568.3-rc", "git")).isNull();
    }

    @Test
    void aContinuousDeliveryVersionNamesItsCommit() {
        assertThat(Tags.commitOf("1511.v2e3cb_0008ef0")).contains("2e3cb0008ef0");
        assertThat(Tags.commitOf("6.3.0-126.vd066b_d896159")).contains("d066bd896159");
        assertThat(Tags.commitOf("1.9.16")).isEmpty();
    }

    @Test
    void anUnmetRequirementNamesThePluginThatMustBeOlder() {
        Map<String, PluginRelease> set = Map.of(
                "git", new PluginRelease("git", "5.10.1", "2.504.3", "s", null, Map.of("credentials", "1480.v2246fd131e83"), Map.of()),
                "credentials", new PluginRelease("credentials", "1415.v831096eb_5534", "2.479.1", "s", null, Map.of(), Map.of()));

        assertThat(GeneratePluginMetadata.unmet(set)).contains("git:5.10.1 needs credentials 1480.v2246fd131e83, the newest readable is 1415.v831096eb_5534");
        assertThat(GeneratePluginMetadata.unmet(Map.of("git", set.get("git")))).as("a missing one is the closure's to add").isEmpty();
    }
}
