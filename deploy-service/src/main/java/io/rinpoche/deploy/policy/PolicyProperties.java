package io.rinpoche.deploy.policy;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code rinpoche.policy.rules}: which pushed images go where. The first matching rule wins.
 *
 * @param forwardOnlyEnvironments environments where every rule is forward-only (see {@link RuleProperties}); none by
 *     default
 */
@ConfigurationProperties("rinpoche.policy")
public record PolicyProperties(@DefaultValue List<RuleProperties> rules,
                               @DefaultValue List<String> forwardOnlyEnvironments) {

    /**
     * One rule as written in YAML: the hook {@code source} it takes pushes from, a {@code repository} glob (the path
     * without registry host), a {@code tag} pattern read as {@code match} says (glob by default), and the
     * {@code environment} and {@code service} to deploy to. A {@code forward-only} rule (off by default) refuses a
     * push whose tag is a version lower than the version its service is pinned to: a replayed or forged old release
     * cannot roll production back, while a manual rollback still can. {@code analysis} switches the analysis after
     * a deploy on or off for the rule's service (null: as {@code rinpoche.analysis.environments} says).
     */
    public record RuleProperties(String name, String source, String repository, String tag, MatchKind match,
                                 String environment, String service, boolean forwardOnly, Boolean analysis) {

        @ConstructorBinding
        public RuleProperties {
        }

        public RuleProperties(String name, String source, String repository, String tag, MatchKind match,
                              String environment, String service, boolean forwardOnly) {
            this(name, source, repository, tag, match, environment, service, forwardOnly, null);
        }
    }
}
