package io.rinpoche.deploy.queue;

import io.rinpoche.deploy.history.Deployment;
import io.rinpoche.deploy.history.Intent;
import io.rinpoche.deploy.model.Environment;
import io.rinpoche.deploy.model.ServiceName;
import java.util.function.Consumer;

/**
 * The one way into the rollouts: hook deliveries, manual requests and the reconcile loop all hand their
 * {@link Intent}s to this queue, which rolls them serialized and coalesced per service.
 */
public interface DeployQueue {

    /**
     * Records {@code intent} in the history (with the git state: the intent commit that pins its image), then
     * queues it. It does not wait for the rollout, but it does wait for that record: when it returns, the
     * request survives a crash.
     *
     * @throws io.rinpoche.deploy.history.HistoryException when the history could not record it; nothing
     *     was queued, and the caller may try again
     * @throws IllegalStateException when the queue is shutting down; nothing was recorded
     */
    void submit(Intent intent);

    /**
     * Queues an intent the history already holds but has no outcome for (the service stopped before rolling it,
     * or a person pushed the pin), without recording it again.
     *
     * @throws IllegalStateException when the queue is shutting down
     */
    void resume(Intent intent);

    /** True when a rollout of {@code service} of {@code environment} is running or waiting. */
    boolean busy(Environment environment, ServiceName service);

    /**
     * Calls {@code listener} with every outcome, once it is recorded (from the rollout's worker thread: a listener
     * must return quickly). The analysis after a deploy starts its window so.
     */
    void onOutcome(Consumer<Deployment> listener);
}
