package io.rinpoche.deploy.bench;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import java.util.function.Predicate;

/**
 * Closed-loop hook load: {@code clients} threads each POST the next envelope as soon as the previous one is
 * answered, first for a warm-up, then for the measured window. Only requests that start and end inside the
 * window count, so hooks/s is what the service sustained, not what was queued at the end.
 */
final class Intake {

    /** The measured window: acknowledged hooks, their latencies (ms, sorted) and failures by kind. */
    record Result(long acknowledged, double seconds, double[] latenciesMillis, Map<String, Long> failures,
                  long sentTotal) {

        double perSecond() {
            return acknowledged / seconds;
        }

        long failed() {
            return failures.values().stream().mapToLong(Long::longValue).sum();
        }

        String summary() {
            return String.format("%d acknowledged in %.1f s = %.0f hooks/s; ack latency p50 %.1f ms, p99 %.1f ms,"
                            + " max %.1f ms; failed %d%s", acknowledged, seconds, perSecond(),
                    Percentiles.of(latenciesMillis, 50), Percentiles.of(latenciesMillis, 99),
                    latenciesMillis.length == 0 ? 0.0 : latenciesMillis[latenciesMillis.length - 1], failed(),
                    failures.isEmpty() ? "" : " " + failures);
        }
    }

    private Intake() {
    }

    /**
     * Sends {@code envelope.apply(n)} for n = 0, 1, ... from {@code clients} threads; a response is a success when
     * {@code accepted} holds (any other answer or an I/O error is a failure, named by status or exception).
     */
    static Result run(DeployService service, int clients, Duration warmup, Duration window,
                      LongFunction<byte[]> envelope, Predicate<HttpResponse<String>> accepted) throws InterruptedException {
        AtomicLong sequence = new AtomicLong();
        long windowStart = System.nanoTime() + warmup.toNanos();
        long windowEnd = windowStart + window.toNanos();
        Map<String, Long> failures = new ConcurrentHashMap<>();
        List<List<Double>> latencies = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            List<Double> mine = new ArrayList<>();
            latencies.add(mine);
            Thread thread = new Thread(() -> loop(service, sequence, windowStart, windowEnd, envelope, accepted, mine,
                    failures), "hooks-" + i);
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        double[] sorted = latencies.stream().flatMap(List::stream).mapToDouble(Double::doubleValue).sorted().toArray();
        return new Result(sorted.length, window.toNanos() / 1e9, sorted, new TreeMap<>(failures), sequence.get());
    }

    private static void loop(DeployService service, AtomicLong sequence, long windowStart, long windowEnd,
                             LongFunction<byte[]> envelope, Predicate<HttpResponse<String>> accepted,
                             List<Double> latencies, Map<String, Long> failures) {
        while (System.nanoTime() < windowEnd) {
            byte[] body = envelope.apply(sequence.getAndIncrement());
            long start = System.nanoTime();
            String failure;
            try {
                HttpResponse<String> response = service.hook(body);
                failure = accepted.test(response) ? null : "status " + response.statusCode();
            } catch (java.io.IOException e) {
                failure = e.getClass().getSimpleName();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            long end = System.nanoTime();
            if (start >= windowStart && end <= windowEnd) {
                if (failure == null) {
                    latencies.add((end - start) / 1e6);
                } else {
                    failures.merge(failure, 1L, Long::sum);
                }
            } else if (failure != null && start >= windowStart) {
                failures.merge(failure, 1L, Long::sum); // a failure just past the window still counts
            }
        }
    }
}
