package io.rinpoche.deploy.queue;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code rinpoche.queue}: how rollouts are run.
 *
 * @param parallelRollouts rollouts of different services that may run at the same time (4)
 * @param shutdownGrace how long shutdown waits for rollouts in progress to finish (2 min)
 */
@ConfigurationProperties("rinpoche.queue")
public record QueueProperties(@DefaultValue("4") int parallelRollouts,
                              @DefaultValue("2m") Duration shutdownGrace) {

    public QueueProperties {
        if (parallelRollouts < 1) {
            throw new IllegalArgumentException("rinpoche.queue.parallel-rollouts must be positive, not "
                    + parallelRollouts);
        }
        if (shutdownGrace.isNegative()) {
            throw new IllegalArgumentException("rinpoche.queue.shutdown-grace must not be negative");
        }
    }
}
