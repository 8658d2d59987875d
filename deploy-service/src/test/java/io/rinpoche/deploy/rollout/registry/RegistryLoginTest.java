package io.rinpoche.deploy.rollout.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rinpoche.deploy.model.ImageRef;
import org.junit.jupiter.api.Test;

/** Which pulls carry the platform registry's credentials, and that they never print. */
class RegistryLoginTest {

    private final RegistryLogin login = new RegistryLogin("127.0.0.1:5000", "rinpoche", "s3cret-password-x", null);

    @Test
    void imagesOfThatRegistryArePulledWithTheLogin() {
        var auth = login.authFor(ImageRef.parse("127.0.0.1:5000/hello-django:develop-1")).orElseThrow();

        assertThat(auth.getUsername()).isEqualTo("rinpoche");
        assertThat(auth.getPassword()).isEqualTo("s3cret-password-x", null);
        assertThat(auth.getRegistryAddress()).isEqualTo("127.0.0.1:5000");
    }

    @Test
    void otherRegistriesGetNoCredentials() {
        assertThat(login.authFor(ImageRef.parse("127.0.0.1:5001/hello-django:1"))).isEmpty();
        assertThat(login.authFor(ImageRef.parse("hello-django:1"))).isEmpty();
        assertThat(RegistryLogin.none().authFor(ImageRef.parse("127.0.0.1:5000/hello-django:1"))).isEmpty();
    }

    @Test
    void anAddressWithoutPasswordIsRefused() {
        assertThatThrownBy(() -> new RegistryLogin("127.0.0.1:5000", "rinpoche", "", null))
                .hasMessageContaining("a username and a password are needed to pull from 127.0.0.1:5000");
    }

    @Test
    void thePasswordIsNotInItsText() {
        assertThat(login.toString()).doesNotContain("s3cret").contains("rinpoche@127.0.0.1:5000");
    }
}
