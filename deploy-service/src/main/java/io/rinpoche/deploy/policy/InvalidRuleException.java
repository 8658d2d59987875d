package io.rinpoche.deploy.policy;

/** A rule (or a policy setting) cannot work; start-up stops with this message, which names it. */
public class InvalidRuleException extends IllegalStateException {

    public InvalidRuleException(String rule, int index, String problem) {
        super("rule '" + rule + "' (rinpoche.policy.rules[" + index + "]): " + problem);
    }

    private InvalidRuleException(String message) {
        super(message);
    }

    /** A policy setting outside the rules that cannot work, e.g. {@code forward-only-environments}. */
    static InvalidRuleException setting(String setting, String problem) {
        return new InvalidRuleException("rinpoche.policy." + setting + ": " + problem);
    }
}
