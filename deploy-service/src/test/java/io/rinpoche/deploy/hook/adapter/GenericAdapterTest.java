package io.rinpoche.deploy.hook.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rinpoche.deploy.TestPayloads;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The generic format: an image reference and an optional digest; webhook-id is the event id. */
class GenericAdapterTest {

    private final GenericAdapter adapter = new GenericAdapter();

    @Test
    void imageAndDigestMakeThePush() {
        HookEvents events = Samples.run(adapter, TestPayloads.bytes("generic-push.json"),
                Map.of("webhook-id", "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W"));

        assertThat(events.pushes()).singleElement().satisfies(push -> {
            assertThat(push.image()).hasToString("127.0.0.1:5000/hello-django:develop-abc123"
                    + "@sha256:77a9943a3af986df8946e6cddbe06d7e1915177267df2ac05c1393fd29cbb4da");
            assertThat(push.eventId()).isEqualTo("msg_2KWPBgLlAfxdpx2AI54pPJ85f4W");
        });
    }

    @Test
    void anImageWithoutTagOrWithTwoDigestsIsMalformed() {
        String a = "sha256:" + "a".repeat(64);
        String b = "sha256:" + "b".repeat(64);

        assertThatThrownBy(() -> Samples.runJson(adapter, "{\"image\":\"app@" + a + "\"}"))
                .isInstanceOf(MalformedPayloadException.class).hasMessageContaining("needs a tag");
        assertThatThrownBy(() -> Samples.runJson(adapter, "{\"image\":\"app:1@" + a + "\",\"digest\":\"" + b + "\"}"))
                .isInstanceOf(MalformedPayloadException.class).hasMessageContaining("different digests");
        assertThatThrownBy(() -> Samples.runJson(adapter, "{\"img\":\"app:1\"}"))
                .isInstanceOf(MalformedPayloadException.class).hasMessageContaining("'image'");
    }
}
