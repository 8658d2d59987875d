package io.rinpoche.deploy.policy;

import io.rinpoche.deploy.model.DeployRequest;
import io.rinpoche.deploy.model.Environment;
import io.rinpoche.deploy.model.ImageRef;
import io.rinpoche.deploy.model.PushEvent;
import io.rinpoche.deploy.model.ServiceName;
import io.rinpoche.deploy.policy.PolicyProperties.RuleProperties;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Rules in order; the first that matches a push turns it into a {@link Decision.Planned}. A plain
 * function of its input, in the manner of Keel's {@code checkForUpdate(policy, repo, resource)}: the push, and for a
 * forward-only rule the pin its service has now.
 */
public final class Policy {

    /** The image a service is pinned to now, if any. */
    @FunctionalInterface
    public interface Pins {

        /** No service is pinned. */
        Pins NONE = (environment, service) -> Optional.empty();

        Optional<ImageRef> pinned(Environment environment, ServiceName service);
    }

    private final List<Rule> rules;

    private Policy(List<Rule> rules) {
        this.rules = rules;
    }

    /**
     * Compiles the configured rules. A rule with a missing field, an invalid pattern or an unknown
     * source throws {@link InvalidRuleException}, which names it.
     */
    public static Policy of(List<RuleProperties> rules, Set<String> knownSources) {
        return of(rules, knownSources, Set.of());
    }

    /** The same, every rule for an environment in {@code forwardOnlyEnvironments} being forward-only. */
    public static Policy of(List<RuleProperties> rules, Set<String> knownSources, Set<String> forwardOnlyEnvironments) {
        return new Policy(Rules.compile(rules, knownSources, forwardOnlyEnvironments));
    }

    /** The plan for {@code event}, or why it is ignored, as if no service were pinned. */
    public Decision decide(PushEvent event) {
        return decide(event, Pins.NONE);
    }

    /** The plan for {@code event}, or why it is ignored; a forward-only rule compares it with {@code pins}. */
    public Decision decide(PushEvent event, Pins pins) {
        for (Rule rule : rules) {
            if (rule.matches(event)) {
                Decision.Planned planned = new Decision.Planned(new DeployRequest(rule.environment(), rule.service(),
                        event.image()), rule.name(), event);
                return rule.forwardOnly() ? forwardOnly(planned, pins) : planned;
            }
        }
        return new Decision.Ignored(event, "no rule matches " + event.repository() + ":" + event.tag()
                + " from source " + event.source());
    }

    // Only versions are ordered: a tag or a pin that names none (master-1a2b3c4) is never a downgrade.
    private static Decision forwardOnly(Decision.Planned planned, Pins pins) {
        Optional<SemverVersion> pushed = SemverVersion.parse(planned.event().tag());
        if (pushed.isEmpty()) {
            return planned;
        }
        DeployRequest request = planned.request();
        Optional<ImageRef> pin;
        try {
            pin = pins.pinned(request.environment(), request.service());
        } catch (RuntimeException e) {
            // Fail closed: a version cannot be called newer than a pin nobody can read.
            return new Decision.Ignored(planned.event(), "forward-only rule " + planned.rule()
                    + ": cannot read the pin of " + request.environment() + "/" + request.service() + ": " + e.getMessage());
        }
        Optional<String> pinnedTag = pin.map(ImageRef::tag);
        Optional<SemverVersion> current = pinnedTag.flatMap(SemverVersion::parse);
        if (current.isPresent() && pushed.get().compareTo(current.get()) < 0) {
            return new Decision.Ignored(planned.event(), "forward-only rule " + planned.rule() + ": "
                    + planned.event().tag() + " is older than " + pinnedTag.get() + ", which " + request.environment()
                    + "/" + request.service() + " is pinned to (a manual rollback can go back)");
        }
        return planned;
    }

    /** How many rules there are. */
    public int size() {
        return rules.size();
    }
}
