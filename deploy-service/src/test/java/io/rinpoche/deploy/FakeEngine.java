package io.rinpoche.deploy;

import io.rinpoche.deploy.hook.auth.Secrets;
import io.rinpoche.deploy.model.DeployRequest;
import io.rinpoche.deploy.model.Digest;
import io.rinpoche.deploy.model.Environment;
import io.rinpoche.deploy.model.ImageRef;
import io.rinpoche.deploy.model.ServiceName;
import io.rinpoche.deploy.rollout.ImageCheck;
import io.rinpoche.deploy.rollout.ImageVersion;
import io.rinpoche.deploy.rollout.RolloutEngine;
import io.rinpoche.deploy.rollout.RolloutException;
import io.rinpoche.deploy.rollout.RolloutResult;
import io.rinpoche.deploy.rollout.ServiceState;
import io.rinpoche.deploy.rollout.TransientRolloutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A rollout engine for the scheduling logic, without Docker: it keeps which image each service runs,
 * answers as an engine does (DEPLOYED, SKIPPED when already on that digest, ROLLED_BACK for a tag starting
 * with {@code bad}, a {@link RolloutException} for {@code boom}, another exception for {@code crash}, a
 * {@link TransientRolloutException} for the first two tries of {@code flaky}),
 * records every call, measures how many rollouts overlap, and can hold rollouts until released. The compose
 * engine has its own integration tests.
 */
public final class FakeEngine implements RolloutEngine {

    /** When the services the fake runs started. */
    public static final Instant SINCE = Instant.parse("2026-11-25T08:00:00Z");
    // Long enough for a burst of 500 hooks, each an intent commit, to arrive while a rollout is held.
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    private final Map<String, ImageVersion> running = new ConcurrentHashMap<>();
    private final Map<String, Integer> flakyTries = new ConcurrentHashMap<>();
    private final Set<String> mixed = ConcurrentHashMap.newKeySet();
    private final List<DeployRequest> rolled = new CopyOnWriteArrayList<>();
    private final Map<DeployRequest, ImageCheck> checks = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> activePerService = new ConcurrentHashMap<>();
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicInteger maxActive = new AtomicInteger();
    private final AtomicInteger maxActivePerService = new AtomicInteger();
    private final Semaphore started = new Semaphore(0);
    private volatile CountDownLatch gate = new CountDownLatch(0);

    /** Makes {@code service} of {@code environment} run {@code image}, as if compose had started it. */
    public FakeEngine run(String environment, String service, String image) {
        running.put(key(Environment.of(environment), ServiceName.of(service)), version(ImageRef.parse(image)));
        return this;
    }

    /** Makes the replicas of {@code service} run different images, as a rollout killed half way leaves them. */
    public FakeEngine mixed(String environment, String service) {
        mixed.add(key(Environment.of(environment), ServiceName.of(service)));
        return this;
    }

    /** From now on, rollouts wait in the engine until {@link #release()}. */
    public void hold() {
        gate = new CountDownLatch(1);
    }

    /** Lets held rollouts (and later ones) finish. */
    public void release() {
        gate.countDown();
    }

    /** Waits until {@code count} more rollouts have begun. */
    public void awaitStarted(int count) throws InterruptedException {
        if (!started.tryAcquire(count, TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            throw new AssertionError(count + " rollouts did not start within " + TIMEOUT);
        }
    }

    /** Every request the engine was asked to roll, in the order they began. */
    public List<DeployRequest> rolled() {
        return List.copyOf(rolled);
    }

    /** The check the last rollout of {@code request} was asked for. */
    public ImageCheck check(DeployRequest request) {
        return checks.get(request);
    }

    /** The requests rolled for {@code service} of {@code environment}, oldest first. */
    public List<DeployRequest> rolled(String environment, String service) {
        return rolled.stream().filter(r -> r.environment().name().equals(environment)
                && r.service().name().equals(service)).toList();
    }

    /** The most rollouts that ran at once, over all services. */
    public int maxActive() {
        return maxActive.get();
    }

    /** The most rollouts of one service that ran at once: must stay 1. */
    public int maxActivePerService() {
        return maxActivePerService.get();
    }

    /** {@code image} as the fake runs it: its own digest, else one derived from the reference. */
    public static ImageVersion version(ImageRef image) {
        Digest digest = image.digest() != null ? image.digest()
                : Digest.parse("sha256:" + HexFormat.of().formatHex(Secrets.sha256(image.toString().getBytes(StandardCharsets.UTF_8))));
        return new ImageVersion(image.pinned(), digest);
    }

    @Override
    public RolloutResult roll(DeployRequest request, ImageCheck check) {
        rolled.add(request);
        checks.put(request, check);
        String key = key(request.environment(), request.service());
        AtomicInteger mine = activePerService.computeIfAbsent(key, k -> new AtomicInteger());
        maxActivePerService.accumulateAndGet(mine.incrementAndGet(), Math::max);
        maxActive.accumulateAndGet(active.incrementAndGet(), Math::max);
        started.release();
        try {
            awaitGate();
            return result(request, key);
        } finally {
            mine.decrementAndGet();
            active.decrementAndGet();
        }
    }

    private RolloutResult result(DeployRequest request, String key) {
        ImageVersion from = running.get(key);
        if (from == null) {
            throw new RolloutException("no running container of service '" + request.service() + "' (environment "
                    + request.environment() + ") to roll onto " + request.image());
        }
        String tag = request.image().tag() == null ? "" : request.image().tag();
        if (tag.startsWith("boom")) {
            throw new RolloutException("cannot pull " + request.image() + " for " + request + ": manifest unknown");
        }
        if (tag.startsWith("flaky") && flakyTries.merge(key + "@" + tag, 1, Integer::sum) <= 2) {
            throw new TransientRolloutException("cannot pull " + request.image() + " for " + request
                    + ": connection refused", null);
        }
        if (tag.startsWith("crash")) {
            throw new IllegalStateException("engine bug while rolling " + request);
        }
        ImageVersion to = version(request.image());
        if (to.digest().equals(from.digest()) && !mixed.remove(key)) {
            return new RolloutResult(request, RolloutResult.Outcome.SKIPPED, from, to, Duration.ofMillis(3),
                    "already running " + to);
        }
        if (tag.startsWith("bad")) {
            return new RolloutResult(request, RolloutResult.Outcome.ROLLED_BACK, from, to, Duration.ofSeconds(61),
                    "not healthy after 60 s: last check exited 1, HTTP 500 from /healthz");
        }
        running.put(key, to);
        return new RolloutResult(request, RolloutResult.Outcome.DEPLOYED, from, to, Duration.ofMillis(4200), "");
    }

    @Override
    public List<String> recover(Environment environment) {
        return List.of();
    }

    @Override
    public List<ServiceState> services(Environment environment) {
        String prefix = environment.name() + "/";
        return running.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                .sorted(Map.Entry.comparingByKey())
                .map(e -> new ServiceState(ServiceName.of(e.getKey().substring(prefix.length())), e.getValue(),
                        ServiceState.Health.HEALTHY, SINCE, 1, mixed.contains(e.getKey())))
                .toList();
    }

    private void awaitGate() {
        try {
            if (!gate.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                throw new IllegalStateException("a held rollout was not released within " + TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RolloutException("interrupted while held", e);
        }
    }

    private static String key(Environment environment, ServiceName service) {
        return environment + "/" + service;
    }
}
