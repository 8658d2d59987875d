package io.rinpoche.deploy.policy;

/** A rule cannot work; start-up stops with this message, which names the rule. */
public class InvalidRuleException extends IllegalStateException {

    public InvalidRuleException(String rule, int index, String problem) {
        super("rule '" + rule + "' (rinpoche.policy.rules[" + index + "]): " + problem);
    }
}
