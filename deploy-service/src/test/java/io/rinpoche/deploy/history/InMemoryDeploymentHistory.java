package io.rinpoche.deploy.history;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The history in memory, for the tests of the queue and of rollbacks: outcomes newest first, at most
 * {@code capacity} of them (the oldest go first). Intents are accepted and not kept.
 */
public final class InMemoryDeploymentHistory implements DeploymentHistory {

    private final Deque<Deployment> entries = new ArrayDeque<>();
    private final int capacity;

    public InMemoryDeploymentHistory(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("history capacity must be positive, not " + capacity);
        }
        this.capacity = capacity;
    }

    @Override
    public void intend(Intent intent) {
    }

    @Override
    public synchronized void append(Deployment deployment) {
        entries.addFirst(deployment);
        if (entries.size() > capacity) {
            entries.removeLast();
        }
    }

    @Override
    public synchronized DeploymentPage page(int page, int size) {
        DeploymentHistory.checkPage(page, size);
        List<Deployment> items = entries.stream().skip((long) page * size).limit(size).toList();
        return new DeploymentPage(items, page, size, entries.size());
    }
}
