package io.rinpoche.deploy.requests;

import io.rinpoche.deploy.analysis.AnalysisProperties;
import io.rinpoche.deploy.analysis.EdgeFigures;
import io.rinpoche.deploy.analysis.EdgeMetrics;
import io.rinpoche.deploy.analysis.EdgeMetricsException;
import io.rinpoche.deploy.analysis.Verdict;
import io.rinpoche.deploy.history.Deployment;
import io.rinpoche.deploy.history.DeploymentHistory;
import io.rinpoche.deploy.history.Intent;
import io.rinpoche.deploy.history.Trigger;
import io.rinpoche.deploy.metrics.AnalysisMetrics;
import io.rinpoche.deploy.model.DeployRequest;
import io.rinpoche.deploy.model.Environment;
import io.rinpoche.deploy.model.ServiceName;
import io.rinpoche.deploy.queue.DeployQueue;
import io.rinpoche.deploy.rollout.RolloutResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The analysis after a deploy, the fourth way a rollout is asked for. When a rollout of an analysed service ends
 * DEPLOYED, its edge figures since then are read every {@code check-every} for {@code window} and compared with the
 * baseline, the same app and environment over {@code baseline} before the rollout. A version clearly worse is rolled
 * back at once, as a manual rollback is (an intent to the image the deploy replaced, through the queue), with the
 * verdict as the trigger's reason: the history records it as ROLLED_BACK with the figures. A version that passes, or
 * that could not be judged (too few requests, Prometheus down), stays, and the verdict is recorded as a SKIPPED entry
 * of trigger {@code analysis} saying so. A newer rollout of the service ends the analysis: it is not analysed.
 *
 * <p>The windows live in memory: an analysis under way when the service stops is not taken up again.
 */
public final class DeployAnalyses implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DeployAnalyses.class);

    private final DeployQueue queue;
    private final DeploymentHistory history;
    private final EdgeMetrics edge;
    private final AnalysisMetrics meters;
    private final AnalysisProperties settings;
    private final AnalysedServices analysed;
    private final Clock clock;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "deploy-analysis");
        thread.setDaemon(true);
        return thread;
    });

    public DeployAnalyses(DeployQueue queue, DeploymentHistory history, EdgeMetrics edge, AnalysisMetrics meters,
                          AnalysisProperties settings, AnalysedServices analysed, Clock clock) {
        this.queue = queue;
        this.history = history;
        this.edge = edge;
        this.meters = meters;
        this.settings = settings;
        this.analysed = analysed;
        this.clock = clock;
    }

    /** From now on, every deploy of an analysed service is watched. */
    public void start() {
        queue.onOutcome(this::finished);
    }

    /** One deploy under watch: the baseline is read once, at the first check that can. */
    private final class Watch {
        final Deployment deployment;
        final Instant end;
        EdgeFigures baseline;

        Watch(Deployment deployment) {
            this.deployment = deployment;
            this.end = deployment.started().plus(deployment.duration());
        }

        Environment environment() {
            return deployment.environment();
        }

        ServiceName service() {
            return deployment.service();
        }
    }

    private void finished(Deployment deployment) {
        if (deployment.outcome() != RolloutResult.Outcome.DEPLOYED || deployment.trigger().kind() == Trigger.Kind.ANALYSIS
                || !analysed.analysed(deployment.environment(), deployment.service())) {
            return;
        }
        meters.track(deployment.environment(), deployment.service());
        log.info("analysing deployment {} of {}/{} for {} s", deployment.id(), deployment.environment(),
                deployment.service(), settings.window().toSeconds());
        next(new Watch(deployment));
    }

    private void next(Watch watch) {
        Instant now = clock.instant();
        Instant at = min((now.isAfter(watch.end) ? now : watch.end).plus(settings.checkEvery()),
                watch.end.plus(settings.window()));
        long delay = Math.max(0, Duration.between(clock.instant(), at).toMillis());
        timer.schedule(() -> checkQuietly(watch), delay, TimeUnit.MILLISECONDS);
    }

    // Whatever a check throws, the deploy gets a verdict: a scheduled task that throws is never heard of again.
    private void checkQuietly(Watch watch) {
        try {
            check(watch);
        } catch (RuntimeException e) {
            log.error("analysis of deployment {} failed", watch.deployment.id(), e);
            conclude(watch, Verdict.notAnalysed("the analysis failed: " + e.getMessage()));
        }
    }

    private void check(Watch watch) {
        Instant now = clock.instant();
        Instant close = watch.end.plus(settings.window());
        boolean last = !now.isBefore(close);
        Optional<String> newer = newer(watch.deployment);
        if (newer.isPresent()) {
            conclude(watch, Verdict.notAnalysed(newer.get()));
            return;
        }
        Verdict verdict;
        try {
            verdict = Verdict.judge(baseline(watch), edge.figures(watch.environment(), watch.service(), watch.end,
                    last ? close : now), settings.thresholds());
        } catch (EdgeMetricsException e) {
            verdict = Verdict.notAnalysed(e.getMessage());
        }
        if (last || verdict.kind() == Verdict.Kind.ROLL_BACK) {
            conclude(watch, verdict);
        } else {
            next(watch);
        }
    }

    private EdgeFigures baseline(Watch watch) {
        if (watch.baseline == null) {
            Instant started = watch.deployment.started();
            watch.baseline = edge.figures(watch.environment(), watch.service(), started.minus(settings.baseline()), started);
        }
        return watch.baseline;
    }

    // Another rollout of the service after this one: the analysis stops, never rolling back under a newer deploy.
    private Optional<String> newer(Deployment deployment) {
        String service = deployment.environment() + "/" + deployment.service();
        if (queue.busy(deployment.environment(), deployment.service())) {
            return Optional.of("a newer rollout of " + service + " is running or waiting");
        }
        return history.newest(entry -> entry.environment().equals(deployment.environment())
                        && entry.service().equals(deployment.service()) && entry.trigger().kind() != Trigger.Kind.ANALYSIS)
                .filter(entry -> !entry.id().equals(deployment.id()))
                .map(entry -> "deployment " + entry.id() + " of " + service + " came after it");
    }

    private void conclude(Watch watch, Verdict verdict) {
        Deployment deployment = watch.deployment;
        String text = verdict.text() + " (deployment " + deployment.id() + ")";
        log.info("analysis of {}/{}: {}", deployment.environment(), deployment.service(), text);
        try {
            if (verdict.kind() == Verdict.Kind.ROLL_BACK) {
                DeployRequest back = new DeployRequest(deployment.environment(), deployment.service(),
                        Rollbacks.pinned(deployment.from(), deployment.environment(), deployment.service()));
                queue.submit(Intent.of(back, Trigger.analysis(text)));
            } else {
                record(watch, Trigger.analysis(text), text);
            }
            meters.finished(deployment.environment(), deployment.service(), verdict.kind().tag());
        } catch (RuntimeException e) {
            log.error("analysis of deployment {}: cannot record '{}'", deployment.id(), text, e);
        }
    }

    // A verdict that changes nothing, as a history entry of its own: SKIPPED (nothing touched), what runs as from and to.
    private void record(Watch watch, Trigger trigger, String text) {
        Deployment deployment = watch.deployment;
        String id = Intent.of(new DeployRequest(deployment.environment(), deployment.service(), deployment.requested()),
                trigger).id();
        history.append(new Deployment(id, deployment.environment(), deployment.service(), deployment.requested(),
                deployment.to(), deployment.to(), trigger, RolloutResult.Outcome.SKIPPED, watch.end,
                Duration.between(watch.end, clock.instant()), text));
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
