package io.rinpoche.deploy.hook.auth;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bearer tokens and path tokens: right, wrong, missing, and in the wrong place. */
class TokenAuthenticatorsTest {

    private static final String SECRET = "s3cret-token-0123456789";
    private static final byte[] BODY = "{}".getBytes();

    private static Credentials headers(Map<String, String> headers) {
        return new Credentials(headers, null, BODY);
    }

    @Test
    void bearerAcceptsTheTokenWhateverTheSchemeCase() {
        BearerToken bearer = new BearerToken(SECRET);

        assertThatCode(() -> bearer.authenticate(headers(Map.of("authorization", "Bearer " + SECRET))))
                .doesNotThrowAnyException();
        assertThatCode(() -> bearer.authenticate(headers(Map.of("authorization", "bearer " + SECRET))))
                .doesNotThrowAnyException();
    }

    @Test
    void bearerRefusesWrongMissingOrMisplacedTokens() {
        BearerToken bearer = new BearerToken(SECRET);

        assertThatThrownBy(() -> bearer.authenticate(headers(Map.of("authorization", "Bearer " + SECRET + "x"))))
                .isInstanceOf(AuthenticationException.class).hasMessage("wrong bearer token");
        assertThatThrownBy(() -> bearer.authenticate(headers(Map.of("authorization", "Bearer " + SECRET.substring(1)))))
                .isInstanceOf(AuthenticationException.class);
        assertThatThrownBy(() -> bearer.authenticate(headers(Map.of("authorization", "Basic " + SECRET))))
                .isInstanceOf(AuthenticationException.class).hasMessageContaining("not a bearer token");
        assertThatThrownBy(() -> bearer.authenticate(headers(Map.of())))
                .isInstanceOf(AuthenticationException.class).hasMessageContaining("missing");
        assertThatThrownBy(() -> bearer.authenticate(new Credentials(Map.of("authorization", "Bearer " + SECRET), SECRET, BODY)))
                .isInstanceOf(AuthenticationException.class).hasMessageContaining("not in the path");
    }

    @Test
    void pathTokenAcceptsOnlyTheTokenInThePath() {
        PathToken path = new PathToken(SECRET);

        assertThatCode(() -> path.authenticate(new Credentials(Map.of(), SECRET, BODY))).doesNotThrowAnyException();
        assertThatThrownBy(() -> path.authenticate(new Credentials(Map.of(), "wrong-token-0123456789", BODY)))
                .isInstanceOf(AuthenticationException.class).hasMessage("wrong token");
        assertThatThrownBy(() -> path.authenticate(new Credentials(Map.of("authorization", "Bearer " + SECRET), null, BODY)))
                .isInstanceOf(AuthenticationException.class).hasMessageContaining("missing token");
    }

    @Test
    void errorMessagesNeverHoldTheSecret() {
        BearerToken bearer = new BearerToken(SECRET);

        assertThatThrownBy(() -> bearer.authenticate(headers(Map.of("authorization", "Bearer nope"))))
                .message().doesNotContain(SECRET).doesNotContain("nope");
    }
}
