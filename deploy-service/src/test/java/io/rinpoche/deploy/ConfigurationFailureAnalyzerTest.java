package io.rinpoche.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.rinpoche.deploy.policy.InvalidRuleException;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.BeanCreationException;

/** A bad rule or source buried in bean-creation exceptions comes out as a short report naming it. */
class ConfigurationFailureAnalyzerTest {

    private final ConfigurationFailureAnalyzer analyzer = new ConfigurationFailureAnalyzer();

    @Test
    void reportsTheBadRule() {
        var failure = new BeanCreationException("policy", "creation failed",
                new InvalidRuleException("staging", 0, "invalid regex 'develop-['"));

        assertThat(analyzer.analyze(failure).getDescription())
                .isEqualTo("rule 'staging' (rinpoche.policy.rules[0]): invalid regex 'develop-['");
    }

    @Test
    void leavesOtherFailuresToSpringBoot() {
        assertThat(analyzer.analyze(new IllegalStateException("port in use"))).isNull();
    }
}
