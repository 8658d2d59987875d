package io.rinpoche.deploy.hook.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rinpoche.deploy.model.PushEvent;
import org.junit.jupiter.api.Test;

/** CNCF distribution envelopes: only a tagged manifest push counts. */
class DistributionAdapterTest {

    private final DistributionAdapter adapter = new DistributionAdapter();

    @Test
    void aDockerPushYieldsOnePushForTheTaggedManifest() {
        HookEvents events = Samples.run(adapter, "distribution-push.json");

        assertThat(events.pushes()).singleElement().satisfies(push -> {
            assertThat(push.image()).hasToString("127.0.0.1:5000/hello-django:develop-abc123"
                    + "@sha256:77a9943a3af986df8946e6cddbe06d7e1915177267df2ac05c1393fd29cbb4da");
            assertThat(push.source()).isEqualTo(Samples.SOURCE);
            assertThat(push.eventId()).isEqualTo("9b0d7c34-6f52-4a8e-9f0d-1d2a44c0e103");
        });
        assertThat(events.ignored()).containsExactly(
                "event 0: push of 'application/vnd.docker.image.rootfs.diff.tar.gzip', not a manifest",
                "event 1: push of 'application/vnd.docker.container.image.v1+json', not a manifest");
    }

    @Test
    void pullsPushesByDigestAndDeletesAreIgnored() {
        HookEvents events = Samples.run(adapter, "distribution-not-deployable.json");

        assertThat(events.pushes()).isEmpty();
        assertThat(events.ignored()).containsExactly("event 0: action 'pull', not a push",
                "event 1: manifest pushed by digest, without a tag", "event 2: action 'delete', not a push");
    }

    @Test
    void anOciIndexPushWithATagCounts() {
        HookEvents events = Samples.runJson(adapter, """
                {"events":[{"id":"e1","action":"push","target":{"mediaType":"application/vnd.oci.image.index.v1+json",
                "digest":"sha256:%s","repository":"team/app","tag":"1.2.3"},"request":{"host":"registry.local:5000"}}]}
                """.formatted("a".repeat(64)));

        assertThat(events.pushes()).extracting(PushEvent::image).map(Object::toString)
                .containsExactly("registry.local:5000/team/app:1.2.3@sha256:" + "a".repeat(64));
    }

    @Test
    void anUnusableEventIsIgnoredWithItsReasonNotRefused() {
        // A refused envelope would be retried by the registry forever, holding up its queue.
        HookEvents events = Samples.runJson(adapter, """
                {"events":[{"action":"push","target":{"mediaType":"application/vnd.oci.image.manifest.v1+json",
                "digest":"sha256:short","repository":"app","tag":"1"}}, 42]}
                """);

        assertThat(events.pushes()).isEmpty();
        assertThat(events.ignored()).containsExactly("event 0: not a sha256 digest: 'sha256:short'",
                "event 1: not an event object");
    }

    @Test
    void anEnvelopeWithoutEventsIsMalformed() {
        assertThatThrownBy(() -> Samples.runJson(adapter, "{\"event\":[]}"))
                .isInstanceOf(MalformedPayloadException.class).hasMessageContaining("'events'");
        assertThat(Samples.runJson(adapter, "{\"events\":[]}").ignored()).containsExactly("the envelope holds no events");
    }
}
