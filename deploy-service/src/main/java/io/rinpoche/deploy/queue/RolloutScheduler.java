package io.rinpoche.deploy.queue;

import io.rinpoche.deploy.history.Deployment;
import io.rinpoche.deploy.history.DeploymentHistory;
import io.rinpoche.deploy.history.Intent;
import io.rinpoche.deploy.history.Trigger;
import io.rinpoche.deploy.metrics.DeploymentMetrics;
import io.rinpoche.deploy.metrics.RequestOutcome;
import io.rinpoche.deploy.model.DeployRequest;
import io.rinpoche.deploy.model.Environment;
import io.rinpoche.deploy.model.ServiceName;
import io.rinpoche.deploy.rollout.ImageCheck;
import io.rinpoche.deploy.rollout.RolloutEngine;
import io.rinpoche.deploy.rollout.RolloutException;
import io.rinpoche.deploy.rollout.RolloutResult;
import io.rinpoche.deploy.rollout.TransientRolloutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deployment queue that rolls: one lane per environment and service, at most one rollout per lane at
 * a time, lanes in parallel on a fixed pool.
 *
 * <p>A lane exists while a worker owns it. A request for a service without a lane creates one and hands
 * it to a worker; a request for a service with a lane becomes the lane's single pending request,
 * replacing (superseding) an older pending one. When a rollout ends, the worker takes the pending
 * request, or, if there is none, removes the lane. Both happen under one lock, so a request either finds
 * the lane and will be taken by its worker, or finds none and starts one: the newest request always runs
 * after the current rollout, and a burst collapses to at most two rollouts (the one running and the newest).
 *
 * <p>A target already on the image is left to the engine, which answers SKIPPED. Every submitted intent is
 * recorded in the history before it is queued (with the git history, that commit is what makes it survive a
 * crash), and every finished rollout, a
 * {@link RolloutException} included (as FAILED), as an outcome. Intents are recorded one at a time in the
 * order they are queued, so the newest pin is also the request that runs last.
 */
public final class RolloutScheduler implements DeployQueue, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RolloutScheduler.class);

    /** An intent in a lane, and when it was accepted (for the push-to-serving time). */
    private record Order(Intent intent, Instant accepted) {

        Lane lane() {
            return new Lane(intent.environment(), intent.service());
        }

        DeployRequest request() {
            return intent.request();
        }

        Trigger trigger() {
            return intent.trigger();
        }

        String id() {
            return intent.id();
        }

        @Override
        public String toString() {
            return intent.toString();
        }
    }

    /** The key of a lane; the lane's state is its entry in {@link #pending}. */
    private record Lane(Environment environment, ServiceName service) {
    }

    private final RolloutEngine engine;
    private final DeploymentHistory history;
    private final DeploymentMetrics metrics;
    private final Clock clock;
    private final Duration shutdownGrace;
    private final int retries;
    private final Duration retryBackoff;
    private final ExecutorService workers;
    private final List<Consumer<Deployment>> listeners = new CopyOnWriteArrayList<>();

    private final Object lock = new Object();
    // Held while an intent is recorded and queued: the history's order is the queue's order.
    private final Object intake = new Object();
    // Guarded by lock. A key is present while a worker owns that lane; its value is the pending order or null.
    private final Map<Lane, Order> pending = new HashMap<>();
    private boolean closed;

    public RolloutScheduler(RolloutEngine engine, DeploymentHistory history, DeploymentMetrics metrics, Clock clock,
                            QueueProperties properties) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.history = Objects.requireNonNull(history, "history");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.shutdownGrace = properties.shutdownGrace();
        this.retries = properties.retries();
        this.retryBackoff = properties.retryBackoff();
        // A fixed pool: lanes beyond it wait in the pool's queue, which holds at most one task per lane.
        this.workers = new ThreadPoolExecutor(properties.parallelRollouts(), properties.parallelRollouts(), 0,
                TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), threads());
    }

    @Override
    public void submit(Intent intent) {
        Order order = new Order(intent, clock.instant());
        synchronized (intake) {
            refuseWhenClosed(order);
            history.intend(intent);
            queue(order);
        }
    }

    @Override
    public void resume(Intent intent) {
        synchronized (intake) {
            queue(new Order(intent, clock.instant()));
        }
    }

    @Override
    public boolean busy(Environment environment, ServiceName service) {
        synchronized (lock) {
            return pending.containsKey(new Lane(environment, service));
        }
    }

    @Override
    public void onOutcome(Consumer<Deployment> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** True when no rollout is running or waiting. */
    public boolean idle() {
        synchronized (lock) {
            return pending.isEmpty();
        }
    }

    private void refuseWhenClosed(Order order) {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("shutting down: not accepting " + order);
            }
        }
    }

    private void queue(Order order) {
        DeployRequest request = order.request();
        Order superseded = null;
        synchronized (lock) {
            refuseWhenClosed(order);
            if (pending.containsKey(order.lane())) {
                superseded = pending.put(order.lane(), order);
            } else {
                pending.put(order.lane(), null);
                workers.execute(() -> drain(order));
            }
        }
        metrics.requested(request.environment(), request.service(), RequestOutcome.QUEUED);
        log.info("queued {}", order);
        if (superseded != null) {
            metrics.requested(request.environment(), request.service(), RequestOutcome.SUPERSEDED);
            log.info("{} superseded by the newer {}", superseded, order.id());
        }
    }

    // Runs the lane's orders until none is pending. run() records every RuntimeException, so only an Error
    // leaves the loop early; then the lane is released so that later requests still start a worker.
    private void drain(Order first) {
        Order order = first;
        try {
            while (order != null) {
                run(order);
                order = next(order.lane());
            }
        } finally {
            if (order != null) {
                release(order.lane());
            }
        }
    }

    private Order next(Lane lane) {
        synchronized (lock) {
            Order next = closed ? null : pending.get(lane);
            if (next == null) {
                pending.remove(lane);
            } else {
                pending.put(lane, null);
            }
            return next;
        }
    }

    private void release(Lane lane) {
        synchronized (lock) {
            Order dropped = pending.remove(lane);
            if (dropped != null) {
                log.error("rollout worker of {} died; {} will not run", lane, dropped);
            }
        }
    }

    private void run(Order order) {
        Instant started = clock.instant();
        metrics.started();
        RolloutResult result;
        try {
            result = rollWithRetries(order);
        } catch (RolloutException e) {
            result = RolloutResult.failed(order.request(), null, Duration.between(started, clock.instant()), e);
        } catch (RuntimeException e) {
            // Not the engine's documented failure: a bug or an unexpected client error. Recorded all the same.
            log.error("rollout {} failed unexpectedly", order, e);
            result = RolloutResult.failed(order.request(), null, Duration.between(started, clock.instant()),
                    new RolloutException(order.request() + ": " + e, e));
        }
        result = analysed(order.trigger(), result);
        metrics.finished(order.request().environment(), order.request().service(), order.trigger().kind(),
                result.outcome(), result.duration());
        if (result.outcome() == RolloutResult.Outcome.DEPLOYED && order.trigger().kind() == Trigger.Kind.HOOK) {
            // Until the new image served on every replica: the rollout's tail (the old replicas going) is no one's wait.
            Duration served = Duration.between(order.accepted(), clock.instant()).minus(result.tail());
            metrics.serving(order.request().environment(), order.request().service(),
                    served.isNegative() ? Duration.ZERO : served);
        }
        log.info("rollout {}: {}", order.id(), result.summary());
        // A reconcile that found nothing to do is no event; the history would fill with them.
        if (order.trigger().kind() != Trigger.Kind.RECONCILE || result.outcome() != RolloutResult.Outcome.SKIPPED) {
            Deployment deployment = Deployment.of(order.id(), order.trigger(), started, result);
            record(deployment);
            tell(deployment);
        }
    }

    // The analysis' rollback that came through is recorded as what it is for the service: the new version rolled
    // back, with the verdict as the reason. One that did not come through is a failure (the engine says why).
    private static RolloutResult analysed(Trigger trigger, RolloutResult result) {
        if (trigger.kind() != Trigger.Kind.ANALYSIS) {
            return result;
        }
        return switch (result.outcome()) {
            case DEPLOYED, SKIPPED -> new RolloutResult(result.request(), RolloutResult.Outcome.ROLLED_BACK, result.from(),
                    result.to(), result.duration(), trigger.reason());
            case ROLLED_BACK -> new RolloutResult(result.request(), RolloutResult.Outcome.FAILED, result.from(), null,
                    result.duration(), "the analysis' rollback did not come up (" + result.reason() + "); it asked: "
                    + trigger.reason());
            case FAILED -> result;
        };
    }

    private void tell(Deployment deployment) {
        for (Consumer<Deployment> listener : listeners) {
            try {
                listener.accept(deployment);
            } catch (RuntimeException e) {
                log.error("a listener failed on the outcome of {}", deployment.id(), e);
            }
        }
    }

    // A transient failure (registry or engine down) is tried again with backoff, unless a newer request for the
    // service is waiting: that one runs next anyway.
    private RolloutResult rollWithRetries(Order order) {
        for (int attempt = 0; ; attempt++) {
            try {
                return engine.roll(order.request(), check(order.trigger()));
            } catch (TransientRolloutException e) {
                if (attempt >= retries || superseded(order)) {
                    throw e;
                }
                Duration wait = retryBackoff.multipliedBy(1L << attempt);
                metrics.retried(order.request().environment(), order.request().service());
                log.warn("rollout {} failed (attempt {} of {}), trying again in {} s: {}", order.id(), attempt + 1,
                        retries + 1, wait.toMillis() / 1000.0, e.getMessage());
                pause(wait);
            }
        }
    }

    // A hook only says a tag moved; a person, the state repository or the reconcile loop pins an image on purpose.
    private static ImageCheck check(Trigger trigger) {
        return trigger.kind() == Trigger.Kind.HOOK ? ImageCheck.TAG_AT_REGISTRY : ImageCheck.AS_PINNED;
    }

    private boolean superseded(Order order) {
        synchronized (lock) {
            return pending.get(order.lane()) != null;
        }
    }

    private static void pause(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RolloutException("interrupted while waiting to try again", e);
        }
    }

    // A history that cannot write must not stop the lane: the outcome is in the log line above, and the
    // reconcile loop finds the service off its pin if the pin was not restored.
    private void record(Deployment deployment) {
        try {
            history.append(deployment);
        } catch (RuntimeException e) {
            log.error("could not record deployment {} of {}/{} in the history", deployment.id(),
                    deployment.environment(), deployment.service(), e);
        }
    }

    /** Drops pending requests and waits up to the shutdown grace for the running rollouts to finish. */
    @Override
    public void close() {
        List<Order> dropped;
        synchronized (lock) {
            closed = true;
            dropped = pending.values().stream().filter(Objects::nonNull).toList();
        }
        if (!dropped.isEmpty()) {
            log.warn("shutting down: {} queued rollout(s) will not run: {}", dropped.size(), dropped);
        }
        workers.shutdown();
        try {
            if (!workers.awaitTermination(shutdownGrace.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("rollouts still running after {}; interrupting them", shutdownGrace);
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private static ThreadFactory threads() {
        AtomicInteger number = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "rollout-" + number.incrementAndGet());
            thread.setDaemon(false);
            return thread;
        };
    }
}
