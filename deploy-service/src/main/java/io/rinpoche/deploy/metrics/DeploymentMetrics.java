package io.rinpoche.deploy.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.rinpoche.deploy.history.Trigger;
import io.rinpoche.deploy.model.Environment;
import io.rinpoche.deploy.model.ServiceName;
import io.rinpoche.deploy.rollout.RolloutResult;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Rollout meters, under their Prometheus names:
 * <ul>
 *   <li>{@code rinpoche_deployments_total{environment,service,outcome,trigger}}: finished rollouts, by what asked for
 *       them (hook, manual, rollback, git, reconcile, analysis: a rollback shows as one, not as a deploy);</li>
 *   <li>{@code rinpoche_deployment_duration_seconds{environment,service,outcome}}: how long they took (histogram);</li>
 *   <li>{@code rinpoche_hook_to_serving_seconds{environment,service}}: from accepting a hook to the new image
 *       serving on every replica (histogram; deployed hook rollouts only): the rollout's end less its tail, the old
 *       replicas stopping and going, as the engine tells it ({@code RolloutResult#tail}; the swarm engine tells none,
 *       so there it is the rollout's end);</li>
 *   <li>{@code rinpoche_rollouts_in_progress}: rollouts running now;</li>
 *   <li>{@code rinpoche_rollout_requests_total{environment,service,outcome}}: requests queued, superseded by a
 *       newer one, or dropped as redelivered;</li>
 *   <li>{@code rinpoche_service_restarts_total{environment,service}}: how often the running containers of a deployed
 *       service restarted after they stopped by themselves (crash, OOM kill), as the reconcile loop last saw them.
 *       Replaced containers start from 0 again, which Prometheus takes for a counter reset.</li>
 * </ul>
 * Tags are environment, service, outcome and trigger only: configured names, few values. Images and tags never
 * become labels (every push would add series).
 */
public final class DeploymentMetrics {

    static final String DEPLOYMENTS = "rinpoche.deployments";
    static final String DURATION = "rinpoche.deployment.duration";
    static final String HOOK_TO_SERVING = "rinpoche.hook.to.serving";
    static final String IN_PROGRESS = "rinpoche.rollouts.in.progress";
    static final String REQUESTS = "rinpoche.rollout.requests";
    static final String RETRIES = "rinpoche.rollout.retries";
    static final String RESTARTS = "rinpoche.service.restarts";

    // A rollout is dominated by the new container's time to healthy: seconds to minutes (health timeout 60 s).
    private static final Duration[] BUCKETS = seconds(0.5, 1, 2, 5, 10, 15, 20, 30, 45, 60, 90, 120, 180, 300, 600);

    private final MeterRegistry registry;
    private final AtomicInteger inProgress = new AtomicInteger();
    private final Map<String, AtomicLong> restarts = new ConcurrentHashMap<>();

    public DeploymentMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder(IN_PROGRESS, inProgress, AtomicInteger::get)
                .description("Rollouts running now")
                .register(registry);
    }

    /** A request for a rollout was queued, superseded or dropped. */
    public void requested(Environment environment, ServiceName service, RequestOutcome outcome) {
        Counter.builder(REQUESTS)
                .description("Requests for a rollout (hooks, manual deploys, rollbacks), by what became of them")
                .tags("environment", environment.name(), "service", service.name(), "outcome", outcome.tag())
                .register(registry)
                .increment();
    }

    /** A rollout failed for a reason that may pass, and is tried again. */
    public void retried(Environment environment, ServiceName service) {
        Counter.builder(RETRIES)
                .description("Rollouts tried again after a failure that may pass (registry or engine down)")
                .tags("environment", environment.name(), "service", service.name())
                .register(registry)
                .increment();
    }

    /**
     * Makes {@code rinpoche_deployments_total} of {@code service} exist, at 0 for every outcome and trigger, before its
     * first rollout: Prometheus' {@code increase()} and {@code changes()} count nothing for the sample a series starts
     * with, so a series born at 1 would hide that deploy from "deploys per day" and from Grafana's annotations.
     * Idempotent; the reconcile loop calls it for every pinned service.
     */
    public void track(Environment environment, ServiceName service) {
        for (RolloutResult.Outcome outcome : RolloutResult.Outcome.values()) {
            for (Trigger.Kind trigger : Trigger.Kind.values()) {
                deployments(environment, service, outcome.name().toLowerCase(Locale.ROOT), trigger);
            }
        }
    }

    /** The running containers of {@code service} have restarted {@code count} times (Docker's RestartCount, summed). */
    public void restarts(Environment environment, ServiceName service, long count) {
        restarts.computeIfAbsent(environment.name() + "/" + service.name(), key -> {
            AtomicLong value = new AtomicLong();
            FunctionCounter.builder(RESTARTS, value, AtomicLong::get)
                    .description("Restarts of a deployed service's running containers after they stopped by themselves")
                    .tags("environment", environment.name(), "service", service.name())
                    .register(registry);
            return value;
        }).set(count);
    }

    /** A rollout began. */
    public void started() {
        inProgress.incrementAndGet();
    }

    /** A rollout that {@link #started()}, asked for by {@code trigger}, ended with {@code outcome} after {@code duration}. */
    public void finished(Environment environment, ServiceName service, Trigger.Kind trigger,
                         RolloutResult.Outcome outcome, Duration duration) {
        inProgress.decrementAndGet();
        String tag = outcome.name().toLowerCase(Locale.ROOT);
        deployments(environment, service, tag, trigger).increment();
        Timer.builder(DURATION)
                .description("How long a rollout took, from its start to its outcome")
                .tags("environment", environment.name(), "service", service.name(), "outcome", tag)
                .serviceLevelObjectives(BUCKETS)
                .register(registry)
                .record(duration);
    }

    private Counter deployments(Environment environment, ServiceName service, String outcome, Trigger.Kind trigger) {
        return Counter.builder(DEPLOYMENTS)
                .description("Finished rollouts, by environment, service, outcome and what asked for them")
                .tags("environment", environment.name(), "service", service.name(), "outcome", outcome,
                        "trigger", trigger.tag())
                .register(registry);
    }

    /** The image a hook announced serves, {@code latency} after the hook was accepted. */
    public void serving(Environment environment, ServiceName service, Duration latency) {
        Timer.builder(HOOK_TO_SERVING)
                .description("From accepting a registry hook to its image serving on every replica")
                .tags("environment", environment.name(), "service", service.name())
                .serviceLevelObjectives(BUCKETS)
                .register(registry)
                .record(latency);
    }

    /** Rollouts running now, as the gauge reports it. */
    public int inProgress() {
        return inProgress.get();
    }

    private static Duration[] seconds(double... values) {
        Duration[] durations = new Duration[values.length];
        for (int i = 0; i < values.length; i++) {
            durations[i] = Duration.ofMillis(Math.round(values[i] * 1000));
        }
        return durations;
    }
}
