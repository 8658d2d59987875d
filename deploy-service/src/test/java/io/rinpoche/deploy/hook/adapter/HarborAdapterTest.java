package io.rinpoche.deploy.hook.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Harbor v2: PUSH_ARTIFACT in the default and the CloudEvents format; everything else ignored. */
class HarborAdapterTest {

    private static final String IMAGE = "harbor.example.com/rinpoche/hello-django:1.4.0"
            + "@sha256:74b860b3270666137a4d543c3e3d1e4e473d54636f7593d1c17bf693e6540bbe";
    private final HarborAdapter adapter = new HarborAdapter();

    @Test
    void pushArtifactYieldsTheTaggedImageAtTheHarborHost() {
        HookEvents events = Samples.run(adapter, "harbor-push.json");

        assertThat(events.pushes()).singleElement().satisfies(push -> {
            assertThat(push.image()).hasToString(IMAGE);
            assertThat(push.eventId()).startsWith("body-");
        });
    }

    @Test
    void theCloudEventsFormatKeepsItsId() {
        HookEvents events = Samples.run(adapter, "harbor-cloudevents-push.json");

        assertThat(events.pushes()).singleElement().satisfies(push -> {
            assertThat(push.image()).hasToString(IMAGE);
            assertThat(push.eventId()).isEqualTo("5b0e3a7c-1d2f-4e8a-9b6c-7d5e4f3a2b10");
        });
    }

    @Test
    void aPushByDigestAndOtherEventTypesAreIgnored() {
        assertThat(Samples.run(adapter, "harbor-push-by-digest.json").ignored())
                .containsExactly("resource 0: pushed by digest, without a tag");
        assertThat(Samples.run(adapter, "harbor-pull.json").ignored())
                .containsExactly("Harbor event 'PULL_ARTIFACT', not an artifact push");
    }

    @Test
    void aPushWithoutRepositoryOrDigestIsMalformed() {
        assertThatThrownBy(() -> Samples.runJson(adapter, "{\"type\":\"PUSH_ARTIFACT\",\"event_data\":{\"resources\":[]}}"))
                .isInstanceOf(MalformedPayloadException.class).hasMessageContaining("repository.repo_full_name");
        assertThatThrownBy(() -> Samples.runJson(adapter, """
                {"type":"PUSH_ARTIFACT","event_data":{"repository":{"repo_full_name":"a/b"},"resources":[{"tag":"1"}]}}"""))
                .isInstanceOf(MalformedPayloadException.class).hasMessageContaining("digest");
    }
}
