package io.rinpoche.deploy;

import io.rinpoche.deploy.hook.InvalidHookSourceException;
import io.rinpoche.deploy.policy.InvalidRuleException;
import io.rinpoche.deploy.web.api.InvalidAdminTokenException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;

/**
 * Turns a bad hook source, rule, engine or admin token into Spring Boot's short "APPLICATION FAILED TO START" report,
 * so the message naming it is not buried in a stack of bean-creation exceptions.
 */
public class ConfigurationFailureAnalyzer implements FailureAnalyzer {

    @Override
    public FailureAnalysis analyze(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof InvalidHookSourceException || cause instanceof InvalidRuleException) {
                return new FailureAnalysis(cause.getMessage(),
                        "Fix that entry under rinpoche.hooks.sources or rinpoche.policy.rules (application.yaml or"
                                + " environment) and start again.", cause);
            }
            if (cause instanceof EngineSetting.InvalidEngineException) {
                return new FailureAnalysis(cause.getMessage(), "Set RINPOCHE_ENGINE (rinpoche.engine) to compose or swarm"
                        + " and start again.", cause);
            }
            if (cause instanceof InvalidAdminTokenException) {
                return new FailureAnalysis(cause.getMessage(), "Set ADMIN_TOKEN to a random value of at least 16"
                        + " characters (./platform up generates one in .rinpoche/secrets.env) and start again.", cause);
            }
        }
        return null;
    }
}
