package io.rinpoche.deploy.hook.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Docker Hub webhooks: repo_name and tag, no digest, an id derived from the body. */
class DockerHubAdapterTest {

    private final DockerHubAdapter adapter = new DockerHubAdapter();

    @Test
    void aPushYieldsTheTaggedImageOnDockerHub() {
        HookEvents events = Samples.run(adapter, "dockerhub-push.json");

        assertThat(events.pushes()).singleElement().satisfies(push -> {
            assertThat(push.image()).hasToString("docker.io/rinpoche/hello-django:1.4.0");
            assertThat(push.digest()).isEmpty();
            assertThat(push.eventId()).startsWith("body-").hasSize("body-".length() + 24);
        });
    }

    @Test
    void aRedeliveryHasTheSameIdAndAnotherPushAnother() {
        String first = Samples.run(adapter, "dockerhub-push.json").pushes().get(0).eventId();
        String again = Samples.run(adapter, "dockerhub-push.json").pushes().get(0).eventId();
        String other = Samples.runJson(adapter,
                "{\"push_data\":{\"tag\":\"1.4.1\"},\"repository\":{\"repo_name\":\"rinpoche/hello-django\"}}")
                .pushes().get(0).eventId();

        assertThat(again).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
    }

    @Test
    void withoutTagOrRepositoryItIsMalformed() {
        assertThatThrownBy(() -> Samples.runJson(adapter, "{\"push_data\":{},\"repository\":{\"repo_name\":\"a/b\"}}"))
                .isInstanceOf(MalformedPayloadException.class).hasMessageContaining("push_data.tag");
        assertThatThrownBy(() -> Samples.runJson(adapter, "{\"push_data\":{\"tag\":\"1\"},\"repository\":{\"repo_name\":7}}"))
                .isInstanceOf(MalformedPayloadException.class).hasMessageContaining("repository.repo_name");
        assertThatThrownBy(() -> Samples.runJson(adapter, "{\"push_data\":{\"tag\":\"1\"},\"repository\":{\"repo_name\":\"A B\"}}"))
                .isInstanceOf(MalformedPayloadException.class).hasMessageContaining("repository name");
    }
}
