package io.rinpoche.deploy.requests;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The newest {@code capacity} hook event ids, to recognise a redelivery. Registries redeliver within
 * minutes (distribution retries with a backoff of seconds), so a bounded memory is enough; an id seen
 * longer ago is treated as new, and the engine then finds the service already on that image (SKIPPED).
 * Not thread-safe: {@link HookDeliveries} guards it.
 */
final class RecentEvents {

    private final Map<String, Boolean> ids;

    RecentEvents(int capacity) {
        this.ids = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    /** Remembers {@code id}; false when it was already remembered. */
    boolean add(String id) {
        return ids.putIfAbsent(id, Boolean.TRUE) == null;
    }

    /** Forgets {@code id}, so that it counts as new again. */
    void remove(String id) {
        ids.remove(id);
    }
}
