package io.rinpoche.deploy.apply;

import io.rinpoche.deploy.model.Environment;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code rinpoche.apply}: how rollouts are run and which environments the service manages.
 *
 * @param environments listed by {@code GET /api/environments} and accepted by manual deploys (production, staging)
 * @param parallelRollouts rollouts of different services that may run at the same time (4)
 * @param rememberedEvents hook event ids remembered to recognise a redelivery (10000, newest kept)
 * @param historySize deployments the in-memory history keeps (10000, newest kept)
 * @param shutdownGrace how long shutdown waits for rollouts in progress to finish (2 min)
 */
@ConfigurationProperties("rinpoche.apply")
public record ApplyProperties(@DefaultValue({"production", "staging"}) List<Environment> environments,
                              @DefaultValue("4") int parallelRollouts,
                              @DefaultValue("10000") int rememberedEvents,
                              @DefaultValue("10000") int historySize,
                              @DefaultValue("2m") Duration shutdownGrace) {

    public ApplyProperties {
        environments = List.copyOf(environments);
        positive("parallel-rollouts", parallelRollouts);
        positive("remembered-events", rememberedEvents);
        positive("history-size", historySize);
        if (environments.isEmpty()) {
            throw new IllegalArgumentException("rinpoche.apply.environments must name at least one environment");
        }
        if (shutdownGrace.isNegative()) {
            throw new IllegalArgumentException("rinpoche.apply.shutdown-grace must not be negative");
        }
    }

    private static void positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException("rinpoche.apply." + name + " must be positive, not " + value);
        }
    }
}
