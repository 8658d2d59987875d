package io.rinpoche.deploy.hook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rinpoche.deploy.hook.auth.BearerToken;
import io.rinpoche.deploy.hook.auth.GitHubSignature;
import io.rinpoche.deploy.hook.auth.PathToken;
import io.rinpoche.deploy.hook.auth.StandardWebhookSignature;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/** Source configuration is checked at start-up; the messages name the source and never its secret. */
class HookSourcesTest {

    private static final String SECRET = "0123456789abcdef-secret";

    private static HookSources sources(String name, HookProperties.Source source) {
        return new HookSources(new HookProperties(DataSize.ofMegabytes(1), Duration.ofMinutes(5), Map.of(name, source), 100),
                Clock.systemUTC());
    }

    @Test
    void eachTypeGetsTheAuthenticationItsRegistryCanDo() {
        assertThat(sources("r", new HookProperties.Source(HookType.DISTRIBUTION, null, SECRET, "127.0.0.1:5000"))
                .find("r").orElseThrow().authenticator()).isInstanceOf(BearerToken.class);
        assertThat(sources("h", new HookProperties.Source(HookType.DOCKER_HUB, null, SECRET, null))
                .find("h").orElseThrow().authenticator()).isInstanceOf(PathToken.class);
        assertThat(sources("g", new HookProperties.Source(HookType.GITHUB, null, SECRET, null, List.of("ghcr.io")))
                .find("g").orElseThrow().authenticator()).isInstanceOf(GitHubSignature.class);
        assertThat(sources("x", new HookProperties.Source(HookType.GENERIC, null,
                "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "127.0.0.1:5000")).find("x").orElseThrow().authenticator())
                .isInstanceOf(StandardWebhookSignature.class);
        assertThat(sources("q", new HookProperties.Source(HookType.QUAY, AuthMode.BEARER, SECRET, "quay.local"))
                .find("q").orElseThrow()).satisfies(source -> {
                    assertThat(source.authenticator()).isInstanceOf(BearerToken.class);
                    assertThat(source.registry()).isEqualTo("quay.local");
                });
    }

    @Test
    void aSourceThatCannotWorkStopsStartUpNamingIt() {
        assertThatThrownBy(() -> sources("reg", new HookProperties.Source(null, null, SECRET, null)))
                .isInstanceOf(InvalidHookSourceException.class)
                .hasMessage("hook source 'reg' (rinpoche.hooks.sources.reg): missing 'type'");
        assertThatThrownBy(() -> sources("reg", new HookProperties.Source(HookType.DISTRIBUTION, null, " ", null)))
                .hasMessageContaining("'reg'").hasMessageContaining("missing 'secret'");
        assertThatThrownBy(() -> sources("reg", new HookProperties.Source(HookType.DISTRIBUTION, AuthMode.HMAC, SECRET, null)))
                .hasMessageContaining("documents no signature");
        assertThatThrownBy(() -> sources("reg", new HookProperties.Source(HookType.DISTRIBUTION, null, SECRET, "not a host")))
                .hasMessageContaining("'registry'");
        assertThatThrownBy(() -> sources("Reg", new HookProperties.Source(HookType.DISTRIBUTION, null, SECRET, null)))
                .hasMessageContaining("name must be");
    }

    @Test
    void aSourceWhosePayloadNamesTheHostMustSayWhichHostsItMayName() {
        assertThatThrownBy(() -> sources("harbor", new HookProperties.Source(HookType.HARBOR, null, SECRET, null)))
                .isInstanceOf(InvalidHookSourceException.class)
                .hasMessageContaining("set 'registry' (the one host to pull from) or 'allowed-registries'");
        assertThatThrownBy(() -> sources("harbor", new HookProperties.Source(HookType.HARBOR, null, SECRET,
                "harbor.example.com", List.of("evil.example.com")))).hasMessageContaining("not both");
        assertThatThrownBy(() -> sources("harbor", new HookProperties.Source(HookType.HARBOR, null, SECRET, null,
                List.of("not a host")))).hasMessageContaining("'registry'");
        assertThat(sources("harbor", new HookProperties.Source(HookType.HARBOR, null, SECRET, null,
                List.of("harbor.example.com"))).find("harbor").orElseThrow().allowedRegistries())
                .containsExactly("harbor.example.com");
    }

    @Test
    void weakOrUnresolvedSecretsAreRefusedWithoutShowingThem() {
        assertThatThrownBy(() -> sources("reg", new HookProperties.Source(HookType.DISTRIBUTION, null, "short-pw", null)))
                .hasMessageContaining("shorter than 16").message().doesNotContain("short-pw");
        assertThatThrownBy(() -> sources("reg", new HookProperties.Source(HookType.DISTRIBUTION, null, "${HOOK_TOKEN}", null)))
                .hasMessageContaining("unresolved placeholder ${HOOK_TOKEN}");
        assertThatThrownBy(() -> sources("gen", new HookProperties.Source(HookType.GENERIC, null, "whsec_!!notbase64!!xx", null)))
                .hasMessageContaining("whsec_<base64>").message().doesNotContain("notbase64");
        assertThatThrownBy(() -> sources("gen", new HookProperties.Source(HookType.GENERIC, null, "whsec_c2hvcnRrZXkxMjM0", null)))
                .hasMessageContaining("key is shorter");
    }

    @Test
    void theSourceRecordNeverPrintsItsSecret() {
        assertThat(new HookProperties.Source(HookType.DISTRIBUTION, AuthMode.BEARER, SECRET, null).toString())
                .doesNotContain(SECRET).contains("******");
    }
}
