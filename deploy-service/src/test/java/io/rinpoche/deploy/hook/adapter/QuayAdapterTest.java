package io.rinpoche.deploy.hook.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rinpoche.deploy.model.PushEvent;
import org.junit.jupiter.api.Test;

/** Quay repository pushes: one push per updated tag, no digest. */
class QuayAdapterTest {

    private final QuayAdapter adapter = new QuayAdapter();

    @Test
    void eachUpdatedTagIsAPushWithItsOwnId() {
        HookEvents events = Samples.run(adapter, "quay-push.json");

        assertThat(events.pushes()).extracting(push -> push.image().toString())
                .containsExactly("quay.io/rinpoche/hello-django:develop-abc123", "quay.io/rinpoche/hello-django:develop");
        assertThat(events.pushes()).extracting(PushEvent::eventId).doesNotHaveDuplicates();
    }

    @Test
    void theOlderObjectShapeOfUpdatedTagsIsReadToo() {
        HookEvents events = Samples.runJson(adapter, """
                {"repository":"rinpoche/hello-django","docker_url":"quay.io/rinpoche/hello-django",
                 "updated_tags":{"1.4.0":"b750fe79269d2ec9a3c593ef05b4332b1d1a02a62b4accb2c21d589ff2f5f2dc"}}""");

        assertThat(events.pushes()).extracting(push -> push.tag()).containsExactly("1.4.0");
    }

    @Test
    void buildNotificationsAreIgnoredAndOtherShapesRefused() {
        assertThat(Samples.run(adapter, "quay-build-queued.json").ignored())
                .containsExactly("Quay build notification, not a repository push");
        assertThatThrownBy(() -> Samples.runJson(adapter, "{\"docker_url\":\"quay.io/a/b\"}"))
                .isInstanceOf(MalformedPayloadException.class).hasMessageContaining("updated_tags");
        assertThatThrownBy(() -> Samples.runJson(adapter, "{\"docker_url\":\"quay.io/a/b\",\"updated_tags\":[1]}"))
                .isInstanceOf(MalformedPayloadException.class);
    }
}
