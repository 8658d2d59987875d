package io.rinpoche.deploy.requests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.rinpoche.deploy.history.HistoryException;
import io.rinpoche.deploy.history.Intent;
import io.rinpoche.deploy.history.Trigger;
import io.rinpoche.deploy.hook.AuthMode;
import io.rinpoche.deploy.hook.HookIntake;
import io.rinpoche.deploy.hook.HookProperties;
import io.rinpoche.deploy.hook.HookSources;
import io.rinpoche.deploy.hook.HookType;
import io.rinpoche.deploy.metrics.DeploymentMetrics;
import io.rinpoche.deploy.metrics.HookMetrics;
import io.rinpoche.deploy.policy.MatchKind;
import io.rinpoche.deploy.policy.Policy;
import io.rinpoche.deploy.policy.PolicyProperties.RuleProperties;
import io.rinpoche.deploy.queue.DeployQueue;
import io.rinpoche.deploy.queue.RecordingQueue;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/** A hook delivery from request to queue: planned pushes become hook intents, redeliveries are dropped. */
class HookDeliveriesTest {

    private static final String TOKEN = "0123456789abcdef-token";
    private static final Map<String, String> AUTHORIZED = Map.of("authorization", "Bearer " + TOKEN);
    private static final String DIGEST = "sha256:" + "ab".repeat(32);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final HookSources sources = new HookSources(new HookProperties(DataSize.ofKilobytes(64),
            Duration.ofMinutes(5), Map.of(
                    "registry", new HookProperties.Source(HookType.DISTRIBUTION, AuthMode.BEARER, TOKEN, "127.0.0.1:5000"),
                    "mirror", new HookProperties.Source(HookType.DISTRIBUTION, AuthMode.BEARER, TOKEN, "127.0.0.1:5000")),
            100),
            Clock.systemUTC());
    private final Policy policy = Policy.of(List.of(
            new RuleProperties("staging", "registry", "hello-django", "develop-*", null, "staging", "app", false),
            new RuleProperties("mirror", "mirror", "hello-django", "*", MatchKind.GLOB, "staging", "worker", false)),
            Set.of("registry", "mirror"));
    private final RecordingQueue queue = new RecordingQueue();
    private final HookDeliveries deliveries = deliveries(queue);

    private HookDeliveries deliveries(DeployQueue into) {
        return deliveries(into, List.of());
    }

    private HookDeliveries deliveries(DeployQueue into, List<Trigger> acceptedBefore) {
        return new HookDeliveries(new HookIntake(sources), policy, into, new HookMetrics(registry, sources.names()),
                new DeploymentMetrics(registry), 100, acceptedBefore, Policy.Pins.NONE);
    }

    private HookDeliveries.Delivery push(HookDeliveries to, String source, String tag, String eventId) {
        byte[] body = """
                {"events": [{"id": "%s", "timestamp": "2026-11-25T21:10:04Z", "action": "push",
                  "target": {"mediaType": "application/vnd.docker.distribution.manifest.v2+json", "size": 1574,
                             "digest": "%s", "repository": "hello-django", "tag": "%s"},
                  "request": {"id": "r-1", "host": "127.0.0.1:5000", "method": "PUT"}}]}
                """.formatted(eventId, DIGEST, tag).getBytes(StandardCharsets.UTF_8);
        return to.receive(source, null, AUTHORIZED, body.length, new ByteArrayInputStream(body));
    }

    private double counter(String series) {
        return registry.scrape().lines().filter(line -> line.startsWith(series + " ")).findFirst()
                .map(line -> Double.parseDouble(line.substring(series.length() + 1))).orElse(0.0);
    }

    @Test
    void aPlannedPushIsSubmittedAsAHookIntent() {
        HookDeliveries.Delivery delivery = push(deliveries, "registry", "develop-1", "evt-1");

        assertThat(delivery.accepted()).isTrue();
        assertThat(queue.submitted()).singleElement().satisfies(intent -> {
            assertThat(intent.request().toString()).startsWith("staging/app <- 127.0.0.1:5000/hello-django:develop-1");
            assertThat(intent.trigger()).isEqualTo(Trigger.hook("registry", "evt-1"));
        });
        assertThat(counter("rinpoche_hooks_total{outcome=\"accepted\",source=\"registry\"}")).isEqualTo(1);
    }

    @Test
    void aRedeliveredEventDoesNothing() {
        push(deliveries, "registry", "develop-1", "evt-1");
        push(deliveries, "registry", "develop-1", "evt-1");
        push(deliveries, "registry", "develop-2", "evt-1"); // the id decides, whatever the body

        assertThat(queue.submitted()).extracting(intent -> intent.image().tag()).containsExactly("develop-1");
        assertThat(counter("rinpoche_rollout_requests_total{environment=\"staging\",outcome=\"redelivered\",service=\"app\"}"))
                .isEqualTo(2);
    }

    @Test
    void anEventAcceptedBeforeARestartIsStillARedelivery() {
        HookDeliveries restarted = deliveries(queue, List.of(Trigger.hook("registry", "evt-9"),
                Trigger.hook("registry", "evt-8")));

        push(restarted, "registry", "develop-8", "evt-8");
        push(restarted, "registry", "develop-9", "evt-9");
        push(restarted, "registry", "develop-10", "evt-10");

        assertThat(queue.submitted()).extracting(intent -> intent.image().tag()).containsExactly("develop-10");
    }

    @Test
    void theSameEventIdFromAnotherSourceIsAnotherEvent() {
        push(deliveries, "registry", "develop-1", "evt-1");
        push(deliveries, "mirror", "develop-1", "evt-1");

        assertThat(queue.submitted()).extracting(Intent::trigger)
                .containsExactly(Trigger.hook("registry", "evt-1"), Trigger.hook("mirror", "evt-1"));
    }

    @Test
    void anIntentTheHistoryCouldNotRecordIsCountedAndItsRedeliveryTaken() {
        HookDeliveries failing = deliveries(new RecordingQueue() {
            @Override
            public void submit(Intent intent) {
                throw new HistoryException("the state repository is locked");
            }
        });
        assertThatThrownBy(() -> push(failing, "registry", "develop-1", "evt-1"))
                .isInstanceOf(HistoryException.class);
        assertThat(counter("rinpoche_hooks_total{outcome=\"unrecorded\",source=\"registry\"}")).isEqualTo(1);

        assertThatThrownBy(() -> push(failing, "registry", "develop-1", "evt-1"))
                .isInstanceOf(HistoryException.class); // not taken for a redelivery of an accepted event
        assertThat(counter("rinpoche_rollout_requests_total{environment=\"staging\",outcome=\"redelivered\",service=\"app\"}"))
                .isZero();
    }
}
