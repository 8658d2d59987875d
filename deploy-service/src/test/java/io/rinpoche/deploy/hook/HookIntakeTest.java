package io.rinpoche.deploy.hook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rinpoche.deploy.TestPayloads;
import io.rinpoche.deploy.hook.HookRejection.Reason;
import io.rinpoche.deploy.hook.adapter.HookEvents;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/** The intake's checks and their order: source, size, authentication, then the JSON. */
class HookIntakeTest {

    private static final String TOKEN = "0123456789abcdef-token";
    private static final Map<String, String> AUTHORIZED = Map.of("authorization", "Bearer " + TOKEN);
    private final HookIntake intake = new HookIntake(new HookSources(new HookProperties(DataSize.ofBytes(4096),
            Duration.ofMinutes(5), Map.of(
                    "registry", new HookProperties.Source(HookType.DISTRIBUTION, AuthMode.BEARER, TOKEN, "127.0.0.1:5000"),
                    "plain", new HookProperties.Source(HookType.DISTRIBUTION, AuthMode.BEARER, TOKEN, null,
                            List.of("registry:5000"))), 100),
            Clock.systemUTC()));

    private HookEvents receive(String source, Map<String, String> headers, byte[] body) {
        return intake.receive(source, null, headers, body.length, new ByteArrayInputStream(body));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static Reason reasonOf(Runnable call) {
        try {
            call.run();
        } catch (HookRejection rejection) {
            return rejection.reason();
        }
        throw new AssertionError("not refused");
    }

    @Test
    void theSourcesRegistryOverridesThePayloadsHost() {
        byte[] body = utf8(new String(TestPayloads.bytes("distribution-push.json"), StandardCharsets.UTF_8)
                .replace("\"host\": \"127.0.0.1:5000\"", "\"host\": \"registry:5000\""));

        assertThat(receive("registry", AUTHORIZED, body).pushes()).singleElement()
                .satisfies(push -> assertThat(push.image().registry()).isEqualTo("127.0.0.1:5000"));
        assertThat(receive("plain", AUTHORIZED, body).pushes()).singleElement()
                .satisfies(push -> assertThat(push.image().registry()).isEqualTo("registry:5000"));
    }

    @Test
    void aPushFromAHostTheSourceDoesNotAllowIsIgnored() {
        byte[] body = utf8(new String(TestPayloads.bytes("distribution-push.json"), StandardCharsets.UTF_8)
                .replace("\"host\": \"127.0.0.1:5000\"", "\"host\": \"evil.example.com\""));

        HookEvents events = receive("plain", AUTHORIZED, body);

        assertThat(events.pushes()).isEmpty();
        assertThat(events.ignored()).last().asString().isEqualTo("registry 'evil.example.com' of hello-django:develop-abc123 is not in the allowed-registries"
                        + " of source plain");
    }

    @Test
    void anUnknownSourceIsRefusedBeforeAnythingElse() {
        assertThatThrownBy(() -> receive("nope", Map.of(), utf8("not json")))
                .isInstanceOf(HookRejection.class)
                .satisfies(e -> assertThat(((HookRejection) e).reason()).isEqualTo(Reason.UNKNOWN_SOURCE))
                .satisfies(e -> assertThat(((HookRejection) e).source()).isNull());
    }

    @Test
    void aLargeBodyIsRefusedBeforeAuthenticationAndParsing() {
        byte[] big = new byte[4097];

        assertThat(reasonOf(() -> receive("registry", Map.of(), big))).isEqualTo(Reason.TOO_LARGE);
        // Without a Content-Length the stream is cut off at the limit.
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                return '{';
            }
        };
        assertThat(reasonOf(() -> intake.receive("registry", null, AUTHORIZED, -1, endless))).isEqualTo(Reason.TOO_LARGE);
        assertThat(receive("registry", AUTHORIZED, utf8("{\"events\":[]}" + " ".repeat(4096 - 13))).pushes()).isEmpty();
    }

    @Test
    void anUnauthenticatedBodyIsNeverParsed() {
        assertThat(reasonOf(() -> receive("registry", Map.of(), utf8("not json")))).isEqualTo(Reason.UNAUTHORIZED);
    }

    @Test
    void whatIsNotOneJsonObjectIsMalformed() {
        for (String body : new String[] {"", "not json", "[]", "42", "null", "{\"events\":[]} {}",
                "{\"events\":[],\"events\":[]}", "{\"events\":[" + "[".repeat(1000) + "]}"}) {
            assertThat(reasonOf(() -> receive("registry", AUTHORIZED, utf8(body)))).as(body).isEqualTo(Reason.MALFORMED);
        }
    }
}
