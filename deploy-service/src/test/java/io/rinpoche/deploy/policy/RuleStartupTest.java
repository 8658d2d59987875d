package io.rinpoche.deploy.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.rinpoche.deploy.DeployServiceConfiguration;
import io.rinpoche.deploy.hook.HookConfiguration;
import io.rinpoche.deploy.hook.InvalidHookSourceException;
import io.rinpoche.deploy.requests.PolicyConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** A bad rule or source in the Spring configuration stops start-up with a message that names it. */
class RuleStartupTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(DeployServiceConfiguration.class, HookConfiguration.class, PolicyConfiguration.class)
            .withPropertyValues("rinpoche.hooks.sources.registry.type=distribution",
                    "rinpoche.hooks.sources.registry.registry=127.0.0.1:5000",
                    "rinpoche.hooks.sources.registry.secret=0123456789abcdef-secret");

    private void assertFailsNaming(String expected, String... rule) {
        runner.withPropertyValues(rule).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().isInstanceOf(InvalidRuleException.class)
                    .hasMessageContaining(expected);
        });
    }

    private static String[] rule(String name, String tag, String match) {
        return new String[] {"rinpoche.policy.rules[0].name=" + name, "rinpoche.policy.rules[0].source=registry",
                "rinpoche.policy.rules[0].repository=hello-django",
                "rinpoche.policy.rules[0].tag=" + tag, "rinpoche.policy.rules[0].match=" + match,
                "rinpoche.policy.rules[0].environment=staging", "rinpoche.policy.rules[0].service=app"};
    }

    @Test
    void goodRulesStart() {
        runner.withPropertyValues(rule("staging", "develop-*", "glob"))
                .run(context -> assertThat(context).hasNotFailed().getBean(Policy.class).extracting(Policy::size).isEqualTo(1));
    }

    @Test
    void aForwardOnlyEnvironmentNoRuleDeploysToStopsStartUp() {
        runner.withPropertyValues(rule("staging", "develop-*", "glob"))
                .withPropertyValues("rinpoche.policy.forward-only-environments=staging")
                .run(context -> assertThat(context).hasNotFailed());
        runner.withPropertyValues(rule("staging", "develop-*", "glob"))
                .withPropertyValues("rinpoche.policy.forward-only-environments=staging,prodution")
                .run(context -> assertThat(context.getStartupFailure()).rootCause()
                        .isInstanceOf(InvalidRuleException.class)
                        .hasMessage("rinpoche.policy.forward-only-environments: no rule deploys to 'prodution'"));
    }

    @Test
    void anInvalidRegexNamesTheRule() {
        assertFailsNaming("rule 'broken-regex' (rinpoche.policy.rules[0]): invalid regex 'develop-['",
                rule("broken-regex", "develop-[", "regex"));
    }

    @Test
    void aBadSemverRangeNamesTheRule() {
        assertFailsNaming("rule 'broken-semver'", rule("broken-semver", ">=1.0.0 <banana", "semver"));
    }

    @Test
    void aMissingFieldNamesTheRuleOrItsIndex() {
        assertFailsNaming("rule 'no-service' (rinpoche.policy.rules[0]): missing 'service'",
                "rinpoche.policy.rules[0].name=no-service", "rinpoche.policy.rules[0].source=registry",
                "rinpoche.policy.rules[0].repository=hello-django",
                "rinpoche.policy.rules[0].tag=*", "rinpoche.policy.rules[0].environment=staging");
        assertFailsNaming("rule '#0' (rinpoche.policy.rules[0]): missing 'tag'",
                "rinpoche.policy.rules[0].repository=hello-django", "rinpoche.policy.rules[0].environment=staging",
                "rinpoche.policy.rules[0].service=app");
    }

    @Test
    void aRuleWithoutSourceNamesTheRule() {
        assertFailsNaming("rule 'any-source' (rinpoche.policy.rules[0]): missing 'source'",
                "rinpoche.policy.rules[0].name=any-source", "rinpoche.policy.rules[0].repository=hello-django",
                "rinpoche.policy.rules[0].tag=*", "rinpoche.policy.rules[0].environment=staging",
                "rinpoche.policy.rules[0].service=app");
    }

    @Test
    void anUnknownSourceOrBadEnvironmentNamesTheRule() {
        String[] unknownSource = rule("from-nowhere", "*", "glob");
        assertFailsNaming("rule 'from-nowhere' (rinpoche.policy.rules[0]): no hook source named 'hub'",
                append(unknownSource, "rinpoche.policy.rules[0].source=hub"));
        assertFailsNaming("rule 'capitals'", append(rule("capitals", "*", "glob"), "rinpoche.policy.rules[0].environment=Prod"));
    }

    @Test
    void aBadSourceStopsStartUpToo() {
        runner.withPropertyValues("rinpoche.hooks.sources.registry.secret=short").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().isInstanceOf(InvalidHookSourceException.class)
                    .hasMessageContaining("hook source 'registry'").message().doesNotContain("=short");
        });
    }

    private static String[] append(String[] values, String extra) {
        String[] all = java.util.Arrays.copyOf(values, values.length + 1);
        all[values.length] = extra;
        return all;
    }
}
