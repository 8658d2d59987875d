package io.rinpoche.deploy.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

/** The small values validate in their constructors. */
class ValuesTest {

    private static final String HEX = "77a9943a3af986df8946e6cddbe06d7e1915177267df2ac05c1393fd29cbb4da";

    @Test
    void digestIsSha256WithLowerCaseHex() {
        assertThat(Digest.parse("sha256:" + HEX).hex()).isEqualTo(HEX);
        assertThat(Digest.isDigest("sha256:" + HEX.toUpperCase())).isFalse();
        assertThat(Digest.isDigest("sha256:" + HEX.substring(1))).isFalse();
        assertThat(Digest.isDigest("sha512:" + HEX)).isFalse();
        assertThatIllegalArgumentException().isThrownBy(() -> Digest.parse("sha256:\n" + HEX))
                .withMessageNotContaining("\n");
    }

    @Test
    void environmentAndServiceAreComposeNames() {
        assertThat(Environment.of("staging")).hasToString("staging");
        assertThat(ServiceName.of("app")).hasToString("app");
        assertThatIllegalArgumentException().isThrownBy(() -> Environment.of("Staging"));
        assertThatIllegalArgumentException().isThrownBy(() -> Environment.of("-x"));
        assertThatIllegalArgumentException().isThrownBy(() -> ServiceName.of("app service"));
    }

    @Test
    void aPushEventNeedsATagAndAPlainEventId() {
        ImageRef byDigest = ImageRef.parse("hello-django@sha256:" + HEX);
        ImageRef tagged = ImageRef.parse("hello-django:develop-1");

        assertThatIllegalArgumentException().isThrownBy(() -> new PushEvent(byDigest, "registry", "e1"));
        assertThatIllegalArgumentException().isThrownBy(() -> new PushEvent(tagged, "registry", "id with space"));
        PushEvent event = new PushEvent(tagged, "registry", "e1");
        assertThat(event.repository()).isEqualTo("hello-django");
        assertThat(event.tag()).isEqualTo("develop-1");
        assertThat(event.digest()).isEmpty();
        assertThat(event.withRegistry("127.0.0.1:5000").image().name()).isEqualTo("127.0.0.1:5000/hello-django");
    }
}
