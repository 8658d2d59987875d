package io.rinpoche.deploy.rollout.compose;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

/**
 * Sends requests at a fixed rate (open loop: the schedule does not wait for answers), at most {@link #IN_FLIGHT} at
 * once; a request whose turn comes while that many are unanswered is not sent, and counted. Answers are counted by
 * status (0: no answer) with their latency.
 */
final class HookFlood {

    static final int IN_FLIGHT = 64;

    /** What a flood got back. */
    record Figures(int scheduled, int unsent, double seconds, Map<Integer, Integer> statuses, double p50Millis,
                   double p99Millis, double maxMillis) {

        @Override
        public String toString() {
            return String.format("%d requests scheduled in %.1f s (%.0f/s), %d not sent (%d unanswered already), "
                            + "answers by status %s, latency p50 %.1f ms, p99 %.1f ms, max %.1f ms", scheduled, seconds,
                    scheduled / seconds, unsent, IN_FLIGHT, statuses, p50Millis, p99Millis, maxMillis);
        }
    }

    private HookFlood() {
    }

    /** Sends {@code nth.apply(i)} for i = 0.. at {@code rate} per second for {@code duration}; returns once all answered. */
    static Figures run(int rate, Duration duration, IntFunction<HttpRequest> nth) throws InterruptedException {
        ExecutorService executor = Executors.newFixedThreadPool(4);
        HttpClient client = HttpClient.newBuilder().executor(executor).build();
        Semaphore free = new Semaphore(IN_FLIGHT);
        Map<Integer, Integer> statuses = new TreeMap<>();
        List<Long> latencies = new ArrayList<>();
        int total = (int) (rate * duration.toMillis() / 1000);
        int unsent = 0;
        long start = System.nanoTime();
        for (int i = 0; i < total; i++) {
            LockSupport.parkNanos(start + i * 1_000_000_000L / rate - System.nanoTime());
            if (!free.tryAcquire()) {
                unsent++;
                continue;
            }
            long sent = System.nanoTime();
            client.sendAsync(nth.apply(i), HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
                synchronized (statuses) {
                    statuses.merge(error == null ? response.statusCode() : 0, 1, Integer::sum);
                    latencies.add(System.nanoTime() - sent);
                }
                free.release();
            });
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (!free.tryAcquire(IN_FLIGHT, 60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("requests still unanswered 60 s after the flood");
        }
        executor.shutdown();
        synchronized (statuses) {
            long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
            return new Figures(total, unsent, seconds, new TreeMap<>(statuses), millis(sorted, 0.50), millis(sorted, 0.99),
                    millis(sorted, 1.0));
        }
    }

    private static double millis(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] / 1e6;
    }
}
