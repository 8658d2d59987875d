package io.rinpoche.deploy.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.rinpoche.deploy.history.InMemoryDeploymentHistory;
import io.rinpoche.deploy.metrics.DeploymentMetrics;
import io.rinpoche.deploy.model.DeployRequest;
import io.rinpoche.deploy.model.Digest;
import io.rinpoche.deploy.model.Environment;
import io.rinpoche.deploy.rollout.ImageCheck;
import io.rinpoche.deploy.rollout.ImageVersion;
import io.rinpoche.deploy.rollout.RolloutEngine;
import io.rinpoche.deploy.rollout.RolloutResult;
import io.rinpoche.deploy.rollout.ServiceState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code rinpoche_hook_to_serving_seconds} ends when the new image served on every replica, not when the rollout ended:
 * the engine's tail (the old replicas stopping and going) is left out.
 */
class HookToServingTest {

    private static final Digest DIGEST = Digest.parse("sha256:" + "c".repeat(64));
    private static final String SUM = "rinpoche_hook_to_serving_seconds_sum{environment=\"staging\",service=\"app\"}";

    private final MovableClock clock = new MovableClock();
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final InMemoryDeploymentHistory history = new InMemoryDeploymentHistory(100);

    @Test
    void theRolloutsTailIsNotCounted() {
        try (RolloutScheduler scheduler = scheduler(Duration.ofSeconds(4))) {
            scheduler.submit(RolloutSchedulerTest.plan("app", "develop-1"));
            await().atMost(Duration.ofSeconds(20)).until(scheduler::idle);
        }
        assertThat(sum()).isEqualTo(1.0); // 5 s of rollout, of which the last 4 after the new image served
        assertThat(history.page(0, 1).items().get(0).duration()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void anEngineThatDoesNotTellCountsTheWholeRollout() {
        try (RolloutScheduler scheduler = scheduler(Duration.ZERO)) {
            scheduler.submit(RolloutSchedulerTest.plan("app", "develop-1"));
            await().atMost(Duration.ofSeconds(20)).until(scheduler::idle);
        }
        assertThat(sum()).isEqualTo(5.0);
    }

    // An engine whose every rollout takes 5 s on the clock and is deployed, `tail` of it after the new image served.
    private RolloutScheduler scheduler(Duration tail) {
        RolloutEngine engine = new RolloutEngine() {
            @Override
            public RolloutResult roll(DeployRequest request, ImageCheck check) {
                clock.advance(Duration.ofSeconds(5));
                ImageVersion from = new ImageVersion(request.image().name() + ":develop-0", DIGEST);
                ImageVersion to = new ImageVersion(request.image().toString(), DIGEST);
                return new RolloutResult(request, RolloutResult.Outcome.DEPLOYED, from, to, Duration.ofSeconds(5), "",
                        tail);
            }

            @Override
            public List<String> recover(Environment environment) {
                return List.of();
            }

            @Override
            public List<ServiceState> services(Environment environment) {
                return List.of();
            }
        };
        return new RolloutScheduler(engine, history, new DeploymentMetrics(registry), clock,
                new QueueProperties(1, Duration.ofSeconds(5), 0, Duration.ZERO));
    }

    private double sum() {
        return registry.scrape().lines().filter(line -> line.startsWith(SUM + " ")).findFirst()
                .map(line -> Double.parseDouble(line.substring(SUM.length() + 1))).orElseThrow();
    }

    private static final class MovableClock extends Clock {
        private volatile Instant now = Instant.parse("2026-11-27T07:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
