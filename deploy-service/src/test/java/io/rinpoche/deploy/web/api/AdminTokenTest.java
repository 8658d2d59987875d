package io.rinpoche.deploy.web.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rinpoche.deploy.ConfigurationFailureAnalyzer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The admin token: refused at start-up when missing, unresolved or short (never shown), compared as a bearer token. */
class AdminTokenTest {

    private static final String TOKEN = "0123456789abcdef-admin";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(ApiConfiguration.class);

    @Test
    void admitsOnlyTheBearerToken() {
        AdminToken token = AdminToken.of(TOKEN);

        assertThat(token.admits("Bearer " + TOKEN)).isTrue();
        assertThat(token.admits("bearer " + TOKEN)).isTrue();
        assertThat(token.admits("Bearer " + TOKEN + "x")).isFalse();
        assertThat(token.admits("Bearer " + TOKEN.substring(1))).isFalse();
        assertThat(token.admits(TOKEN)).isFalse();
        assertThat(token.admits("Basic " + TOKEN)).isFalse();
        assertThat(token.admits("Bearer ")).isFalse();
        assertThat(token.admits(null)).isFalse();
        assertThat(token).hasToString("AdminToken[******]");
    }

    @Test
    void aGoodTokenStarts() {
        runner.withPropertyValues("rinpoche.api.admin-token=" + TOKEN)
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(AdminToken.class));
    }

    @Test
    void aMissingTokenStopsStartUp() {
        runner.run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().isInstanceOf(InvalidAdminTokenException.class)
                    .hasMessage("admin token (rinpoche.api.admin-token, from ADMIN_TOKEN): missing: set ADMIN_TOKEN");
        });
    }

    @Test
    void anUnresolvedPlaceholderStopsStartUp() {
        assertThatThrownBy(() -> AdminToken.of("${ADMIN_TOKEN}"))
                .hasMessageContaining("unresolved placeholder ${ADMIN_TOKEN}");
    }

    @Test
    void aShortTokenStopsStartUpWithoutShowingIt() {
        runner.withPropertyValues("rinpoche.api.admin-token=short-secret").run(context -> {
            assertThat(context).hasFailed();
            Throwable cause = context.getStartupFailure();
            assertThat(cause).rootCause().hasMessageContaining("shorter than 16 characters");
            var analysis = new ConfigurationFailureAnalyzer().analyze(cause);
            assertThat(analysis.getDescription()).doesNotContain("short-secret");
            assertThat(analysis.getAction()).contains("ADMIN_TOKEN");
        });
        assertThat(new ApiProperties("short-secret", null).toString()).doesNotContain("short-secret");
    }
}
