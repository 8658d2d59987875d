package io.rinpoche.deploy.requests;

import io.rinpoche.deploy.model.Environment;
import io.rinpoche.deploy.model.ServiceName;
import io.rinpoche.deploy.policy.PolicyProperties.RuleProperties;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * Which services the analysis after a deploy watches: those the rules deploy, where one of the service's rules says
 * {@code analysis: true}, or where its environment is analysed by default and none of its rules says false. A service
 * no rule deploys (MariaDB, nginx) has no edge figures of its own and is never analysed.
 */
public final class AnalysedServices {

    private final Set<String> analysed = new HashSet<>();

    public AnalysedServices(Collection<RuleProperties> rules, Collection<String> defaultEnvironments) {
        Set<String> deployed = new HashSet<>();
        Set<String> on = new HashSet<>();
        Set<String> off = new HashSet<>();
        for (RuleProperties rule : rules) {
            String key = key(rule.environment(), rule.service());
            deployed.add(key);
            if (Boolean.TRUE.equals(rule.analysis())) {
                on.add(key);
            } else if (Boolean.FALSE.equals(rule.analysis())) {
                off.add(key);
            }
        }
        for (String key : deployed) {
            if (on.contains(key) || defaultEnvironments.contains(key.substring(0, key.indexOf('/'))) && !off.contains(key)) {
                analysed.add(key);
            }
        }
    }

    /** True when deploys of {@code service} of {@code environment} are analysed. */
    public boolean analysed(Environment environment, ServiceName service) {
        return analysed.contains(key(environment.name(), service.name()));
    }

    private static String key(String environment, String service) {
        return environment + "/" + service;
    }
}
