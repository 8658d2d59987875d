package io.rinpoche.deploy.rollout;

import io.rinpoche.deploy.model.ServiceName;
import java.time.Instant;
import java.util.Objects;

/**
 * One service of an environment as it runs now.
 *
 * @param image what its replicas run (the first replica's, when they run different images)
 * @param health the worst health among its replicas
 * @param since when the oldest running replica started: the service has been on this image since then
 * @param replicas how many containers of it run
 * @param mixed true when its replicas run different images (a rollout stopped half way): it is on no pin
 * @param restarts how often its running containers were started again after they stopped by themselves (a crash, an
 *     OOM kill: Docker's RestartCount, summed); 0 for containers a rollout just made. The swarm engine reports 0: Swarm
 *     replaces a failed task with a new one and keeps only a few of them
 */
public record ServiceState(ServiceName service, ImageVersion image, Health health, Instant since, int replicas,
                           boolean mixed, long restarts) {

    /** A container's health as Docker reports it, ordered from best to worst. */
    public enum Health {
        /** Its health check passes. */
        HEALTHY,
        /** Running, and the image has no health check. */
        NO_HEALTHCHECK,
        /** Its health check has not passed yet. */
        STARTING,
        /** Its health check fails. */
        UNHEALTHY,
        /** Not running. */
        STOPPED;

        /** The worse of two. */
        public Health worst(Health other) {
            return compareTo(other) >= 0 ? this : other;
        }
    }

    public ServiceState {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(health, "health");
        Objects.requireNonNull(since, "since");
    }

    /** A service whose containers never restarted. */
    public ServiceState(ServiceName service, ImageVersion image, Health health, Instant since, int replicas, boolean mixed) {
        this(service, image, health, since, replicas, mixed, 0);
    }
}
