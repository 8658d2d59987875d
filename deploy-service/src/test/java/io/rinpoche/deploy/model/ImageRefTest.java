package io.rinpoche.deploy.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Parsing and printing of image references, per the distribution/reference grammar. */
class ImageRefTest {

    private static final String DIGEST = "sha256:77a9943a3af986df8946e6cddbe06d7e1915177267df2ac05c1393fd29cbb4da";

    @Test
    void parsesTheLocalRegistryReference() {
        ImageRef ref = ImageRef.parse("127.0.0.1:5000/hello-django:develop-abc123");

        assertThat(ref.registry()).isEqualTo("127.0.0.1:5000");
        assertThat(ref.repository()).isEqualTo("hello-django");
        assertThat(ref.tag()).isEqualTo("develop-abc123");
        assertThat(ref.digest()).isNull();
        assertThat(ref.pinned()).isEqualTo("127.0.0.1:5000/hello-django:develop-abc123");
    }

    @Test
    void parsesTagAndDigestAndPinsByDigest() {
        ImageRef ref = ImageRef.parse("ghcr.io/rinpoche-org/hello-django:1.4.0@" + DIGEST);

        assertThat(ref.registry()).isEqualTo("ghcr.io");
        assertThat(ref.repository()).isEqualTo("rinpoche-org/hello-django");
        assertThat(ref.tag()).isEqualTo("1.4.0");
        assertThat(ref.digest()).isEqualTo(Digest.parse(DIGEST));
        assertThat(ref.pinned()).isEqualTo("ghcr.io/rinpoche-org/hello-django@" + DIGEST);
        assertThat(ref).hasToString("ghcr.io/rinpoche-org/hello-django:1.4.0@" + DIGEST);
    }

    @Test
    void aFirstComponentWithoutDotOrPortIsPartOfTheRepository() {
        ImageRef ref = ImageRef.parse("library/nginx:1.26");

        assertThat(ref.registry()).isNull();
        assertThat(ref.repository()).isEqualTo("library/nginx");
        assertThat(ImageRef.parse("localhost/app:1").registry()).isEqualTo("localhost");
        assertThat(ImageRef.parse("localhost:5000/app:1").registry()).isEqualTo("localhost:5000");
        assertThat(ImageRef.parse("Docker/app:1").registry()).isEqualTo("Docker"); // upper case: a host, as in Docker
    }

    @Test
    void printsWhatItParsed() {
        for (String text : new String[] {"hello-django:1", "a.b/c/d_e__f-g:x.y-z", "[::1]:5000/app@" + DIGEST}) {
            assertThat(ImageRef.parse(text)).hasToString(text);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"hello-django", "127.0.0.1:5000/hello-django", "hello/App:1", "localhost:5000/app", "app:", "app:-x",
            "app:ttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttt",
            "app@sha256:abc", "app:1@sha256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "/app:1", "app/:1", "a..b:1", ""})
    void refusesWhatIsNotAReference(String text) {
        assertThatIllegalArgumentException().isThrownBy(() -> ImageRef.parse(text));
    }

    @Test
    void refusesAnInvalidRegistryHost() {
        assertThatIllegalArgumentException().isThrownBy(() -> ImageRef.of("bad host", "app", "1", null))
                .withMessageContaining("registry");
    }

    @Test
    void aNameOfSeveralKilobytesIsRefusedBeforeAnyPatternRuns() {
        // 7 KB overflowed the stack in the repository pattern: an Error, which the API turned into a 500.
        String huge = "a-".repeat(3500) + "a";
        assertThatIllegalArgumentException().isThrownBy(() -> ImageRef.parse("127.0.0.1:5000/" + huge + ":1"))
                .withMessageStartingWith("image name longer than 255 characters");
        assertThatIllegalArgumentException().isThrownBy(() -> ImageRef.parse(huge + ":1"))
                .withMessageContaining("longer than");
    }
}
