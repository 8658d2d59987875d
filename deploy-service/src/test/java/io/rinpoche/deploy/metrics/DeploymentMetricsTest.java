package io.rinpoche.deploy.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.rinpoche.deploy.history.Trigger;
import io.rinpoche.deploy.model.Environment;
import io.rinpoche.deploy.model.ServiceName;
import io.rinpoche.deploy.rollout.RolloutResult.Outcome;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The rollout meters as Prometheus sees them: names, low-cardinality tags, histogram buckets. */
class DeploymentMetricsTest {

    private static final Environment STAGING = Environment.of("staging");
    private static final ServiceName APP = ServiceName.of("app");

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final DeploymentMetrics metrics = new DeploymentMetrics(registry);

    @Test
    void countsAndTimesFinishedRollouts() {
        metrics.started();
        metrics.finished(STAGING, APP, Trigger.Kind.HOOK, Outcome.DEPLOYED, Duration.ofMillis(4200));
        metrics.started();
        metrics.finished(STAGING, APP, Trigger.Kind.HOOK, Outcome.ROLLED_BACK, Duration.ofSeconds(61));

        String series = "{environment=\"staging\",outcome=\"%s\",service=\"app\"";
        assertThat(registry.scrape())
                .contains("# TYPE rinpoche_deployments_total counter")
                .contains("rinpoche_deployments_total" + series.formatted("deployed") + ",trigger=\"hook\"} 1.0")
                .contains("rinpoche_deployments_total" + series.formatted("rolled_back") + ",trigger=\"hook\"} 1.0")
                .contains("# TYPE rinpoche_deployment_duration_seconds histogram")
                .contains("rinpoche_deployment_duration_seconds_bucket" + series.formatted("deployed") + ",le=\"2.0\"} 0")
                .contains("rinpoche_deployment_duration_seconds_bucket" + series.formatted("deployed") + ",le=\"5.0\"} 1")
                .contains("rinpoche_deployment_duration_seconds_bucket" + series.formatted("rolled_back") + ",le=\"90.0\"} 1")
                .contains("rinpoche_deployment_duration_seconds_sum" + series.formatted("deployed") + "} 4.2");
    }

    /** A rollback from the dashboard ends DEPLOYED (the old version serves again), counted as a rollback. */
    @Test
    void aRollbackCountsAsOneNotAsADeploy() {
        metrics.track(STAGING, APP);
        metrics.started();
        metrics.finished(STAGING, APP, Trigger.Kind.ROLLBACK, Outcome.DEPLOYED, Duration.ofSeconds(8));

        String series = "rinpoche_deployments_total{environment=\"staging\",outcome=\"deployed\",service=\"app\",trigger=\"%s\"}";
        assertThat(registry.scrape())
                .contains(series.formatted("rollback") + " 1.0")
                .contains(series.formatted("hook") + " 0.0")
                .contains(series.formatted("analysis") + " 0.0");
    }

    /** What the reconcile loop last saw: a restart counts up, replaced containers start again from 0. */
    @Test
    void restartsOfAServiceAreACounterPerEnvironmentAndService() {
        metrics.restarts(STAGING, APP, 0);
        metrics.restarts(STAGING, APP, 2);
        metrics.restarts(Environment.of("production"), APP, 1);

        assertThat(registry.scrape())
                .contains("# TYPE rinpoche_service_restarts_total counter")
                .contains("rinpoche_service_restarts_total{environment=\"staging\",service=\"app\"} 2.0")
                .contains("rinpoche_service_restarts_total{environment=\"production\",service=\"app\"} 1.0");
        metrics.restarts(STAGING, APP, 0);
        assertThat(registry.scrape()).contains("rinpoche_service_restarts_total{environment=\"staging\",service=\"app\"} 0.0");
    }

    @Test
    void theGaugeFollowsRolloutsInProgress() {
        metrics.started();
        metrics.started();
        assertThat(registry.scrape()).contains("# TYPE rinpoche_rollouts_in_progress gauge")
                .contains("rinpoche_rollouts_in_progress 2.0");
        metrics.finished(STAGING, APP, Trigger.Kind.MANUAL, Outcome.FAILED, Duration.ZERO);

        assertThat(registry.scrape()).contains("rinpoche_rollouts_in_progress 1.0");
        assertThat(metrics.inProgress()).isEqualTo(1);
    }

    @Test
    void timesHookToServingAndCountsRequests() {
        metrics.serving(STAGING, APP, Duration.ofSeconds(7));
        metrics.requested(STAGING, APP, RequestOutcome.QUEUED);
        metrics.requested(STAGING, APP, RequestOutcome.SUPERSEDED);

        assertThat(registry.scrape())
                .contains("# TYPE rinpoche_hook_to_serving_seconds histogram")
                .contains("rinpoche_hook_to_serving_seconds_bucket{environment=\"staging\",service=\"app\",le=\"10.0\"} 1")
                .contains("rinpoche_rollout_requests_total{environment=\"staging\",outcome=\"queued\",service=\"app\"} 1.0")
                .contains("rinpoche_rollout_requests_total{environment=\"staging\",outcome=\"superseded\",service=\"app\"} 1.0");
    }
}
