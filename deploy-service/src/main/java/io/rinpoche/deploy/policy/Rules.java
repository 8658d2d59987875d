package io.rinpoche.deploy.policy;

import io.rinpoche.deploy.model.Environment;
import io.rinpoche.deploy.model.ServiceName;
import io.rinpoche.deploy.policy.PolicyProperties.RuleProperties;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.PatternSyntaxException;

/** Compiles the configured rules, refusing the first one that cannot work with a message naming it. */
final class Rules {

    private Rules() {
    }

    static List<Rule> compile(List<RuleProperties> rules, Set<String> knownSources,
                              Set<String> forwardOnlyEnvironments) {
        List<Rule> compiled = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < rules.size(); i++) {
            RuleProperties rule = rules.get(i);
            String name = rule.name() == null || rule.name().isBlank() ? "#" + i : rule.name();
            if (!names.add(name)) {
                throw new InvalidRuleException(name, i, "another rule has the same name");
            }
            compiled.add(compile(rule, name, i, knownSources, forwardOnlyEnvironments));
        }
        // A misspelt environment would leave the one it meant unprotected without a word.
        for (String environment : new java.util.TreeSet<>(forwardOnlyEnvironments)) {
            if (compiled.stream().noneMatch(rule -> rule.environment().name().equals(environment))) {
                throw InvalidRuleException.setting("forward-only-environments", "no rule deploys to '" + environment + "'");
            }
        }
        return List.copyOf(compiled);
    }

    private static Rule compile(RuleProperties rule, String name, int index, Set<String> knownSources,
                                Set<String> forwardOnlyEnvironments) {
        String repository = required(rule.repository(), "repository", name, index);
        String tag = required(rule.tag(), "tag", name, index);
        // Required: a rule that matched any source would let one source's secret deploy another's images.
        String source = required(rule.source(), "source", name, index);
        if (!knownSources.contains(source)) {
            throw new InvalidRuleException(name, index, "no hook source named '" + rule.source()
                    + "' (configured: " + new java.util.TreeSet<>(knownSources) + ")");
        }
        MatchKind kind = rule.match() == null ? MatchKind.GLOB : rule.match();
        Environment environment = value(() -> Environment.of(required(rule.environment(), "environment", name, index)),
                name, index);
        return new Rule(name, source, Glob.compile(repository), tagMatcher(kind, tag, name, index), environment,
                value(() -> ServiceName.of(required(rule.service(), "service", name, index)), name, index),
                rule.forwardOnly() || forwardOnlyEnvironments.contains(environment.name()));
    }

    private static TagMatcher tagMatcher(MatchKind kind, String tag, String name, int index) {
        try {
            return TagMatcher.compile(kind, tag);
        } catch (PatternSyntaxException e) {
            throw new InvalidRuleException(name, index, "invalid regex '" + tag + "': " + e.getDescription());
        } catch (IllegalArgumentException e) {
            throw new InvalidRuleException(name, index, "invalid " + kind.name().toLowerCase(Locale.ROOT)
                    + " pattern: " + e.getMessage());
        }
    }

    private static <T> T value(Supplier<T> factory, String name, int index) {
        try {
            return factory.get();
        } catch (IllegalArgumentException e) {
            throw new InvalidRuleException(name, index, e.getMessage());
        }
    }

    private static String required(String value, String field, String name, int index) {
        if (value == null || value.isBlank()) {
            throw new InvalidRuleException(name, index, "missing '" + field + "'");
        }
        return value;
    }
}
