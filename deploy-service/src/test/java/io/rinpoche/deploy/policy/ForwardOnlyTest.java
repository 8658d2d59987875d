package io.rinpoche.deploy.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.rinpoche.deploy.model.ImageRef;
import io.rinpoche.deploy.model.PushEvent;
import io.rinpoche.deploy.policy.PolicyProperties.RuleProperties;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Forward-only rules: a hook cannot take a service to a version lower than the one it is pinned to. */
class ForwardOnlyTest {

    private static final String IMAGE = "127.0.0.1:5000/hello-django:";
    private static final RuleProperties RELEASE = new RuleProperties("production-release", "registry", "hello-django",
            "*", MatchKind.SEMVER, "production", "app", true);
    private static final RuleProperties MASTER = new RuleProperties("production-master", "registry", "hello-django",
            "master-*", null, "production", "app", true);
    private final Policy policy = Policy.of(List.of(RELEASE, MASTER), Set.of("registry"));

    private static Decision decide(Policy policy, String tag, String pinnedTag) {
        Policy.Pins pins = (environment, service) -> Optional.ofNullable(pinnedTag).map(t -> ImageRef.parse(IMAGE + t));
        return policy.decide(new PushEvent(ImageRef.parse(IMAGE + tag), "registry", "e1"), pins);
    }

    @Test
    void aVersionLowerThanThePinIsRefusedWithTheReason() {
        Decision decision = decide(policy, "1.2.0", "1.3.0");

        assertThat(decision).isInstanceOf(Decision.Ignored.class);
        assertThat(((Decision.Ignored) decision).reason()).isEqualTo("forward-only rule production-release: 1.2.0 is"
                + " older than 1.3.0, which production/app is pinned to (a manual rollback can go back)");
        assertThat(decide(policy, "v1.3.0-rc.1", "1.3.0")).isInstanceOf(Decision.Ignored.class);
    }

    @Test
    void theSameOrAHigherVersionIsPlanned() {
        assertThat(decide(policy, "1.3.1", "1.3.0")).isInstanceOf(Decision.Planned.class);
        assertThat(decide(policy, "1.3.0", "v1.3.0")).isInstanceOf(Decision.Planned.class);
        assertThat(decide(policy, "2.0.0", "1.10.0")).isInstanceOf(Decision.Planned.class);
    }

    @Test
    void withoutTwoVersionsToCompareNothingIsADowngrade() {
        assertThat(decide(policy, "1.0.0", null)).as("unpinned").isInstanceOf(Decision.Planned.class);
        assertThat(decide(policy, "1.0.0", "master-9f8e7d6")).as("pinned to a build").isInstanceOf(Decision.Planned.class);
        assertThat(decide(policy, "master-0000000", "2.0.0")).as("a build").isInstanceOf(Decision.Planned.class);
    }

    @Test
    void aPinThatCannotBeReadRefuses() {
        Policy.Pins broken = (environment, service) -> {
            throw new IllegalStateException("env/production.images.env line 1: expected <SERVICE>_IMAGE=<image>");
        };

        Decision decision = policy.decide(new PushEvent(ImageRef.parse(IMAGE + "9.9.9"), "registry", "e1"), broken);

        assertThat(decision).isInstanceOf(Decision.Ignored.class);
        assertThat(((Decision.Ignored) decision).reason()).startsWith("forward-only rule production-release: cannot"
                + " read the pin of production/app: env/production.images.env line 1");
    }

    @Test
    void offByDefaultAndPerEnvironment() {
        RuleProperties plain = new RuleProperties("release", "registry", "hello-django", "*", MatchKind.SEMVER,
                "production", "app", false);
        RuleProperties staging = new RuleProperties("staging", "registry", "hello-django", "*", MatchKind.SEMVER,
                "staging", "app", false);

        assertThat(decide(Policy.of(List.of(plain), Set.of("registry")), "1.2.0", "1.3.0"))
                .isInstanceOf(Decision.Planned.class);
        assertThat(decide(Policy.of(List.of(plain), Set.of("registry"), Set.of("production")), "1.2.0", "1.3.0"))
                .isInstanceOf(Decision.Ignored.class);
        // The first match wins: the staging rule, which is not forward-only.
        assertThat(decide(Policy.of(List.of(staging, plain), Set.of("registry"), Set.of("production")), "1.2.0", "1.3.0"))
                .isInstanceOf(Decision.Planned.class);
    }
}
