package io.rinpoche.deploy.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.rinpoche.deploy.model.ImageRef;
import io.rinpoche.deploy.model.PushEvent;
import io.rinpoche.deploy.policy.PolicyProperties.RuleProperties;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The platform's default rules and the matching kinds, decided without any Docker. */
class PolicyTest {

    private static final String DIGEST = "sha256:77a9943a3af986df8946e6cddbe06d7e1915177267df2ac05c1393fd29cbb4da";

    // The rules of application.yaml.
    private final Policy defaults = Policy.of(List.of(
            new RuleProperties("staging", "registry", "hello-django", "develop-*", null, "staging", "app", false),
            new RuleProperties("production-release", "registry", "hello-django", "*", MatchKind.SEMVER, "production", "app", false),
            new RuleProperties("production-master", "registry", "hello-django", "master-*", null, "production", "app", false)),
            Set.of("registry", "hub"));

    private static PushEvent push(String image, String source) {
        return new PushEvent(ImageRef.parse(image), source, "e1");
    }

    private Decision.Planned planFor(Policy policy, String image) {
        Decision decision = policy.decide(push(image, "registry"));
        assertThat(decision).as(image).isInstanceOf(Decision.Planned.class);
        return (Decision.Planned) decision;
    }

    @Test
    void developTagsGoToStagingPinnedByDigest() {
        Decision.Planned plan = planFor(defaults, "127.0.0.1:5000/hello-django:develop-abc123@" + DIGEST);

        assertThat(plan.request().environment().name()).isEqualTo("staging");
        assertThat(plan.request().service().name()).isEqualTo("app");
        assertThat(plan.rule()).isEqualTo("staging");
        assertThat(plan.request().image().pinned()).isEqualTo("127.0.0.1:5000/hello-django@" + DIGEST);
        assertThat(plan.summary()).isEqualTo("staging/app <- 127.0.0.1:5000/hello-django:develop-abc123@" + DIGEST
                + " (rule staging)");
    }

    @Test
    void versionAndMasterTagsGoToProduction() {
        assertThat(planFor(defaults, "127.0.0.1:5000/hello-django:1.4.0").rule()).isEqualTo("production-release");
        assertThat(planFor(defaults, "127.0.0.1:5000/hello-django:v2.0.0").rule()).isEqualTo("production-release");
        assertThat(planFor(defaults, "127.0.0.1:5000/hello-django:master-9f8e7d6").rule()).isEqualTo("production-master");
        assertThat(planFor(defaults, "127.0.0.1:5000/hello-django:master-9f8e7d6").request().environment().name())
                .isEqualTo("production");
    }

    @Test
    void otherTagsRepositoriesAndSourcesAreIgnored() {
        for (String image : new String[] {"127.0.0.1:5000/hello-django:feature-x", "127.0.0.1:5000/hello-django:1.4",
                "127.0.0.1:5000/hello-django:2.0.0-rc.1", "127.0.0.1:5000/other:develop-1", "127.0.0.1:5000/team/hello-django:1.0.0"}) {
            assertThat(defaults.decide(push(image, "registry"))).as(image).isInstanceOf(Decision.Ignored.class);
        }
        Decision fromHub = defaults.decide(push("docker.io/hello-django:develop-1", "hub"));
        assertThat(fromHub).isInstanceOf(Decision.Ignored.class);
        assertThat(((Decision.Ignored) fromHub).reason()).isEqualTo("no rule matches hello-django:develop-1 from source hub");
    }

    @Test
    void theFirstMatchingRuleWinsAndGlobsAndRegexesWork() {
        Policy policy = Policy.of(List.of(
                new RuleProperties("hotfix", "registry", "team/*", "hotfix-[0-9]+", MatchKind.REGEX, "production", "web", false),
                new RuleProperties("any-team", "registry", "team/**", "*", null, "staging", "web", false)),
                Set.of("registry"));

        assertThat(planFor(policy, "team/app:hotfix-12").rule()).isEqualTo("hotfix");
        assertThat(planFor(policy, "team/app:hotfix-x").rule()).isEqualTo("any-team");
        assertThat(planFor(policy, "team/sub/app:hotfix-12").rule()).isEqualTo("any-team");
        assertThat(policy.decide(push("teamx/app:1", "registry"))).isInstanceOf(Decision.Ignored.class);
    }
}
