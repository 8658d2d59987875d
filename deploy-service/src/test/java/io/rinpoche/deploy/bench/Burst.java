package io.rinpoche.deploy.bench;

import io.rinpoche.deploy.bench.LocalImages.Image;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;

/**
 * A burst of hooks for one service (staging/hello-django), each a distinct event ({@code burst-<run>-<i>}). Hook 0
 * names the first image's tag and is sent alone, so its rollout starts; hooks 1 to n-2 follow from all clients at
 * once; hook n-1 is sent after every other one was acknowledged, so it is the newest request. Hooks 1 to n-1
 * name the newest image's tag: the clients interleave, so whichever of them arrives last the lane's final
 * request is that image. Both tags exist at the registry, pointing to those digests. Each hook's intent is committed
 * to the state repository before it is acknowledged, so hooks may still arrive after the newest image was deployed:
 * those are skipped as already running, and only the rollouts that changed something count. The scheduler runs hook 0, keeps only the newest request pending while it runs,
 * then runs that one: two rollouts, the last being hook n-1 with the newest image.
 */
final class Burst {

    static final String QUEUED = requests("queued");
    static final String SUPERSEDED = requests("superseded");
    static final String REDELIVERED = requests("redelivered");

    /** What the burst did: acknowledgements, the rollouts its events caused (newest first) and the counters. */
    record Result(int hooks, int acknowledged, Map<String, Long> failures, double sendSeconds, double idleSeconds,
                  List<JsonNode> rollouts, double queued, double superseded, byte[] newestEnvelope, String newestEventId) {

        /**
         * Whether the newest hook's entry is the last and left staging on the newest image: deployed it, or skipped
         * it as already running (an earlier hook of the burst that ran after hook 0 had deployed it).
         */
        boolean newestRanLast(Image newest) {
            JsonNode last = rollouts.get(0);
            return last.path("trigger").path("eventId").asString().equals(newestEventId)
                    && List.of("deployed", "skipped").contains(last.path("outcome").asString())
                    && last.path("to").path("digest").asString().equals(newest.digest());
        }

        /** The entries that changed what runs (not skipped as already running). */
        long deployed() {
            return rollouts.stream().filter(r -> !r.path("outcome").asString().equals("skipped")).count();
        }
    }

    private Burst() {
    }

    static Result run(DeployService service, Envelopes envelopes, String run, int hooks, int clients, Image first,
                      Image newest) throws IOException, InterruptedException {
        String prefix = "burst-" + run + "-";
        double queuedBefore = service.metric(QUEUED);
        double supersededBefore = service.metric(SUPERSEDED);
        Map<String, Long> failures = new ConcurrentHashMap<>();
        AtomicInteger acknowledged = new AtomicInteger();
        byte[][] bodies = new byte[hooks][];
        for (int i = 0; i < hooks; i++) {
            Image image = i == 0 ? first : newest;
            bodies[i] = envelopes.push("hello-django", image.tag(), image.digest(), prefix + i);
        }
        long start = System.nanoTime();
        send(service, bodies[0], acknowledged, failures);
        AtomicInteger next = new AtomicInteger(1);
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            Thread thread = new Thread(() -> {
                for (int i = next.getAndIncrement(); i < hooks - 1; i = next.getAndIncrement()) {
                    send(service, bodies[i], acknowledged, failures);
                }
            }, "burst-" + c);
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        send(service, bodies[hooks - 1], acknowledged, failures);
        double sendSeconds = (System.nanoTime() - start) / 1e9;
        List<JsonNode> rollouts = awaitRollout(service, prefix, prefix + (hooks - 1), Duration.ofMinutes(5));
        double idleSeconds = (System.nanoTime() - start) / 1e9;
        // Nothing may follow the newest request; a second look shows whether something did.
        Thread.sleep(2000);
        rollouts = rollouts(service, prefix);
        return new Result(hooks, acknowledged.get(), new TreeMap<>(failures), sendSeconds, idleSeconds, rollouts,
                service.metric(QUEUED) - queuedBefore, service.metric(SUPERSEDED) - supersededBefore,
                bodies[hooks - 1], prefix + (hooks - 1));
    }

    /** Polls the history until an entry for {@code eventId} exists; returns the entries of events with {@code prefix}. */
    static List<JsonNode> awaitRollout(DeployService service, String prefix, String eventId, Duration timeout)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            List<JsonNode> rollouts = rollouts(service, prefix);
            if (rollouts.stream().anyMatch(r -> r.path("trigger").path("eventId").asString().equals(eventId))) {
                return rollouts;
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("no rollout for event " + eventId + " within " + timeout);
    }

    // The newest 100 history entries whose hook event id starts with prefix, newest first.
    private static List<JsonNode> rollouts(DeployService service, String prefix) throws IOException, InterruptedException {
        return service.deployments(100).stream()
                .filter(d -> d.path("trigger").path("eventId").asString("").startsWith(prefix)).toList();
    }

    private static void send(DeployService service, byte[] body, AtomicInteger acknowledged, Map<String, Long> failures) {
        try {
            HttpResponse<String> response = service.hook(body);
            if (response.statusCode() == 202 && response.body().contains("\"outcome\":\"planned\"")) {
                acknowledged.incrementAndGet();
            } else {
                failures.merge("status " + response.statusCode(), 1L, Long::sum);
            }
        } catch (IOException e) {
            failures.merge(e.getClass().getSimpleName(), 1L, Long::sum);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String requests(String outcome) {
        return "rinpoche_rollout_requests_total{environment=\"staging\",outcome=\"" + outcome + "\",service=\"hello-django\"}";
    }

    /** A one-line description of a history entry: trigger, outcome, from -> to, duration, reason. */
    static String describe(JsonNode rollout) {
        JsonNode trigger = rollout.path("trigger");
        String reason = rollout.path("reason").asString("");
        return String.format("%s %-8s %s -> %s in %.1f s%s", trigger.path("eventId").asString(trigger.path("kind")
                        .asString("")), rollout.path("outcome").asString(),
                shortDigest(rollout.path("from").path("digest").asString("")),
                shortDigest(rollout.path("to").path("digest").asString("")), rollout.path("durationSeconds").asDouble(),
                reason.isEmpty() ? "" : " (" + reason + ")");
    }

    static String shortDigest(String digest) {
        return digest.length() > 19 ? digest.substring(0, 19) : digest;
    }
}
