package io.rinpoche.deploy.queue;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code rinpoche.queue}: how rollouts are run.
 *
 * @param parallelRollouts rollouts of different services that may run at the same time (4)
 * @param shutdownGrace how long shutdown waits for rollouts in progress to finish (2 min)
 * @param retries how often a rollout that failed for a reason that may pass (registry or engine down) is tried
 *     again before it counts as FAILED (3)
 * @param retryBackoff the wait before the first retry, doubled before each next one (2 s: 2, 4, 8 s)
 */
@ConfigurationProperties("rinpoche.queue")
public record QueueProperties(@DefaultValue("4") int parallelRollouts,
                              @DefaultValue("2m") Duration shutdownGrace,
                              @DefaultValue("3") int retries,
                              @DefaultValue("2s") Duration retryBackoff) {

    public QueueProperties {
        if (parallelRollouts < 1) {
            throw new IllegalArgumentException("rinpoche.queue.parallel-rollouts must be positive, not "
                    + parallelRollouts);
        }
        if (shutdownGrace.isNegative()) {
            throw new IllegalArgumentException("rinpoche.queue.shutdown-grace must not be negative");
        }
        if (retries < 0 || retryBackoff.isNegative()) {
            throw new IllegalArgumentException("rinpoche.queue.retries and retry-backoff must not be negative");
        }
    }
}
