package io.rinpoche.deploy.hook.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import io.rinpoche.deploy.TestPayloads;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** GitHub registry_package / package events for GHCR images. */
class GitHubPackageAdapterTest {

    private static final String IMAGE = "ghcr.io/rinpoche-org/hello-django:develop-abc123"
            + "@sha256:10bc4eece5c5911685770f3c29aac28a7dcc13018f47d7d9715839720966454a";
    private static final String DELIVERY = "72d3162e-cc78-11e3-81ab-4c9367dc0958";
    private final GitHubPackageAdapter adapter = new GitHubPackageAdapter();

    @Test
    void registryPackagePublishedYieldsTheLowerCasedGhcrImage() {
        HookEvents events = Samples.run(adapter, TestPayloads.bytes("github-registry-package-published.json"),
                Map.of("x-github-event", "registry_package", "x-github-delivery", DELIVERY));

        assertThat(events.pushes()).singleElement().satisfies(push -> {
            assertThat(push.image()).hasToString(IMAGE);
            assertThat(push.eventId()).isEqualTo(DELIVERY);
        });
    }

    @Test
    void packagePublishedIsReadTheSameWay() {
        HookEvents events = Samples.run(adapter, TestPayloads.bytes("github-package-published.json"),
                Map.of("x-github-event", "package"));

        assertThat(events.pushes()).singleElement().satisfies(push -> assertThat(push.image()).hasToString(IMAGE));
    }

    @Test
    void pingsUntaggedVersionsAndOtherActionsAreIgnored() {
        String untagged = new String(TestPayloads.bytes("github-package-published.json"), StandardCharsets.UTF_8)
                .replace("\"name\": \"develop-abc123\"", "\"name\": \"\"");

        assertThat(Samples.run(adapter, "{\"zen\":\"Keep it logically awesome.\"}".getBytes(StandardCharsets.UTF_8),
                Map.of("x-github-event", "ping")).ignored()).containsExactly("GitHub event 'ping', not a package event");
        assertThat(Samples.runJson(adapter, untagged).ignored()).containsExactly("container version pushed without a tag");
        assertThat(Samples.runJson(adapter, untagged.replace("\"published\"", "\"deleted\"")).ignored())
                .containsExactly("package action 'deleted'");
    }

    @Test
    void withoutPackageUrlTheImageIsOwnerAndName() {
        String noUrl = new String(TestPayloads.bytes("github-package-published.json"), StandardCharsets.UTF_8)
                .replace("\"package_url\"", "\"was_package_url\"");

        assertThat(Samples.runJson(adapter, noUrl).pushes()).singleElement()
                .satisfies(push -> assertThat(push.image()).hasToString(IMAGE));
    }
}
