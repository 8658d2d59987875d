package io.rinpoche.deploy.rollout.nginx;

import java.util.function.Consumer;
import java.util.function.Supplier;

/** A rollout's steps while the proxy is told where to route, and the end of that, whatever the steps did. */
public final class Routed {

    private Routed() {
    }

    /**
     * Runs {@code steps}, then {@code end.accept(true)}: the replicas routed to last keep running. When either throws,
     * {@code end.accept(false)} (they may be stopped next), whose own failure is added to the first as suppressed.
     */
    public static <T> T run(Supplier<T> steps, Consumer<Boolean> end) {
        try {
            T result = steps.get();
            end.accept(true);
            return result;
        } catch (RuntimeException e) {
            try {
                end.accept(false);
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }
}
