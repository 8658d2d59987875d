package io.rinpoche.deploy.policy;

import io.rinpoche.deploy.model.DeployRequest;
import io.rinpoche.deploy.model.PushEvent;
import io.rinpoche.deploy.policy.PolicyProperties.RuleProperties;
import java.util.List;
import java.util.Set;

/**
 * Rules in order; the first that matches a push turns it into a {@link Decision.Planned}. A plain
 * function of its input, in the manner of Keel's {@code checkForUpdate(policy, repo, resource)}.
 */
public final class Policy {

    private final List<Rule> rules;

    private Policy(List<Rule> rules) {
        this.rules = rules;
    }

    /**
     * Compiles the configured rules. A rule with a missing field, an invalid pattern or an unknown
     * source throws {@link InvalidRuleException}, which names it.
     */
    public static Policy of(List<RuleProperties> rules, Set<String> knownSources) {
        return new Policy(Rules.compile(rules, knownSources));
    }

    /** The plan for {@code event}, or why it is ignored. */
    public Decision decide(PushEvent event) {
        for (Rule rule : rules) {
            if (rule.matches(event)) {
                return new Decision.Planned(new DeployRequest(rule.environment(), rule.service(), event.image()),
                        rule.name(), event);
            }
        }
        return new Decision.Ignored(event, "no rule matches " + event.repository() + ":" + event.tag()
                + " from source " + event.source());
    }

    /** How many rules there are. */
    public int size() {
        return rules.size();
    }
}
