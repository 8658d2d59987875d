package io.rinpoche.deploy.hook.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Standard Webhooks verification against the specification's published test vector, with an injected clock. */
class StandardWebhookSignatureTest {

    // The test vector of the Standard Webhooks reference libraries.
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final long SIGNED_AT = 1614265330L;
    private static final byte[] BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
    private static final String SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
    private static final Duration TOLERANCE = Duration.ofMinutes(5);

    private static StandardWebhookSignature verifierAt(long epochSecond) {
        Clock clock = Clock.fixed(Instant.ofEpochSecond(epochSecond), ZoneOffset.UTC);
        return new StandardWebhookSignature(StandardWebhookSignature.key(SECRET), clock, TOLERANCE);
    }

    private static Credentials signed(String signature, long timestamp, byte[] body) {
        Map<String, String> headers = new HashMap<>();
        headers.put("webhook-id", ID);
        headers.put("webhook-timestamp", Long.toString(timestamp));
        headers.put("webhook-signature", signature);
        return new Credentials(headers, null, body);
    }

    @Test
    void acceptsTheSpecificationsTestVector() {
        assertThatCode(() -> verifierAt(SIGNED_AT).authenticate(signed(SIGNATURE, SIGNED_AT, BODY)))
                .doesNotThrowAnyException();
    }

    @Test
    void acceptsTimestampsAtTheEdgesOfTheWindowOnly() {
        assertThatCode(() -> verifierAt(SIGNED_AT + 300).authenticate(signed(SIGNATURE, SIGNED_AT, BODY)))
                .doesNotThrowAnyException();
        assertThatCode(() -> verifierAt(SIGNED_AT - 300).authenticate(signed(SIGNATURE, SIGNED_AT, BODY)))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> verifierAt(SIGNED_AT + 301).authenticate(signed(SIGNATURE, SIGNED_AT, BODY)))
                .isInstanceOf(AuthenticationException.class).hasMessageContaining("tolerance");
        assertThatThrownBy(() -> verifierAt(SIGNED_AT - 301).authenticate(signed(SIGNATURE, SIGNED_AT, BODY)))
                .isInstanceOf(AuthenticationException.class).hasMessageContaining("tolerance");
    }

    @Test
    void refusesATamperedBodyOrAnotherTimestamp() {
        byte[] tampered = "{\"test\": 2432232315}".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> verifierAt(SIGNED_AT).authenticate(signed(SIGNATURE, SIGNED_AT, tampered)))
                .isInstanceOf(AuthenticationException.class).hasMessageContaining("no webhook-signature matches");
        assertThatThrownBy(() -> verifierAt(SIGNED_AT).authenticate(signed(SIGNATURE, SIGNED_AT + 1, BODY)))
                .isInstanceOf(AuthenticationException.class);
    }

    @Test
    void oneMatchingSignatureAmongSeveralIsEnough() {
        String rotated = "v1,Zm9vYmFyYmF6 v1a,notverifiedhere " + SIGNATURE;

        assertThatCode(() -> verifierAt(SIGNED_AT).authenticate(signed(rotated, SIGNED_AT, BODY)))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> verifierAt(SIGNED_AT).authenticate(signed("v2," + SIGNATURE.substring(3), SIGNED_AT, BODY)))
                .isInstanceOf(AuthenticationException.class);
        assertThatThrownBy(() -> verifierAt(SIGNED_AT).authenticate(signed("v1,%%%not-base64", SIGNED_AT, BODY)))
                .isInstanceOf(AuthenticationException.class);
    }

    @Test
    void refusesAnotherKey() {
        StandardWebhookSignature other = new StandardWebhookSignature(
                StandardWebhookSignature.key("whsec_c2VjcmV0LW9mLWFub3RoZXItZW5kcG9pbnQ="),
                Clock.fixed(Instant.ofEpochSecond(SIGNED_AT), ZoneOffset.UTC), TOLERANCE);

        assertThatThrownBy(() -> other.authenticate(signed(SIGNATURE, SIGNED_AT, BODY)))
                .isInstanceOf(AuthenticationException.class);
    }

    @Test
    void refusesMissingOrMalformedHeaders() {
        Credentials noSignature = new Credentials(Map.of("webhook-id", ID, "webhook-timestamp", "1614265330"), null, BODY);
        Credentials textTimestamp = new Credentials(Map.of("webhook-id", ID, "webhook-timestamp", "yesterday",
                "webhook-signature", SIGNATURE), null, BODY);

        assertThatThrownBy(() -> verifierAt(SIGNED_AT).authenticate(noSignature))
                .isInstanceOf(AuthenticationException.class).hasMessage("missing webhook-signature header");
        assertThatThrownBy(() -> verifierAt(SIGNED_AT).authenticate(textTimestamp))
                .isInstanceOf(AuthenticationException.class).hasMessageContaining("Unix time");
    }

    @Test
    void keyIsTheBase64PartOfTheWhsecSecret() {
        assertThat(StandardWebhookSignature.key(SECRET)).hasSize(24);
        assertThat(StandardWebhookSignature.key("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")).hasSize(24);
        assertThatIllegalArgumentException().isThrownBy(() -> StandardWebhookSignature.key("whsec_not*base64"))
                .withMessageNotContaining("not*base64");
    }
}
