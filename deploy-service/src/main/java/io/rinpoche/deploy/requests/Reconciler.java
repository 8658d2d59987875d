package io.rinpoche.deploy.requests;

import io.rinpoche.deploy.history.Deployment;
import io.rinpoche.deploy.history.Intent;
import io.rinpoche.deploy.history.Trigger;
import io.rinpoche.deploy.metrics.DeploymentMetrics;
import io.rinpoche.deploy.model.DeployRequest;
import io.rinpoche.deploy.model.Environment;
import io.rinpoche.deploy.model.ImageRef;
import io.rinpoche.deploy.queue.DeployQueue;
import io.rinpoche.deploy.rollout.ImageVersion;
import io.rinpoche.deploy.rollout.RolloutEngine;
import io.rinpoche.deploy.rollout.RolloutResult;
import io.rinpoche.deploy.rollout.ServiceState;
import io.rinpoche.deploy.state.GitDeploymentHistory;
import io.rinpoche.deploy.state.PinFile;
import io.rinpoche.deploy.state.StateException;
import io.rinpoche.deploy.state.StateRepository;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Converges what runs to what the state repository pins. Every interval, on its own thread (the first pass at
 * start), it pulls the remote (and pushes what is still unpushed), tidies up what rollouts that did not finish
 * left (killed, or failed on an engine that could not undo them; rollouts in progress are left alone), and
 * compares each running service's image digest with its pin; a service off its pin is
 * submitted to the queue (resumed), as the intent that set the pin (its trigger and id) when that intent has
 * no outcome yet, else as a reconcile. A service on its pin whose intent, accepted before this process started, has no
 * outcome was in a rollout that ended while the service was down (Swarm carries an update on alone; compose's last
 * swap may have been made before a kill): its outcome is recorded as deployed, once, whichever engine rolled it.
 * Services without a pin, and environments not running, are left alone.
 * A state file that cannot be read stops nothing: the environment is skipped and the error shown in the API.
 */
public final class Reconciler implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Reconciler.class);

    private final StateRepository state;
    private final GitDeploymentHistory history;
    private final RolloutEngine engine;
    private final DeployQueue queue;
    private final List<Environment> environments;
    private final StateProblems problems;
    private final DeploymentMetrics metrics;
    private final Clock clock;
    // Whole seconds, as commit times are: an intent committed before this is another process's.
    private final Instant started;
    // The pins recordLanded looked at: only an intent of a gone process counts, so for one pin the answer never changes
    // and the history is walked once, not on every pass.
    private final Set<String> landedChecked = ConcurrentHashMap.newKeySet();
    private final AtomicLong passes = new AtomicLong();
    private volatile Optional<String> engineProblem = Optional.empty();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "reconcile");
        thread.setDaemon(true);
        return thread;
    });

    public Reconciler(StateRepository state, GitDeploymentHistory history, RolloutEngine engine,
                      DeployQueue queue, List<Environment> environments, StateProblems problems,
                      DeploymentMetrics metrics, Clock clock) {
        this.state = state;
        this.history = history;
        this.engine = engine;
        this.queue = queue;
        this.environments = List.copyOf(environments);
        this.problems = problems;
        this.metrics = metrics;
        this.clock = clock;
        this.started = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }

    /**
     * Reconciles every {@code interval} from now on, the first pass at once, on the loop's own thread: start-up
     * waits neither on the engine nor on the remote.
     */
    public void start(Duration interval) {
        timer.scheduleWithFixedDelay(this::reconcileQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One pass: pull (and push what a failed push left), then every environment. */
    public synchronized void reconcile() {
        try {
            state.pull();
            problems.clear(null);
        } catch (StateException e) {
            problems.report(null, "cannot pull the state repository: " + e.getMessage());
            log.error("reconcile: cannot pull the state repository: {}", e.getMessage());
        }
        state.pushLater();
        List<String> engineProblems = new ArrayList<>();
        environments.forEach(environment -> reconcileGuarded(environment, engineProblems));
        engineProblem = engineProblems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", engineProblems));
        passes.incrementAndGet();
        state.maintain();
    }

    /** Why the engine could not be reached or listed in the last pass; empty when it could. */
    public Optional<String> engineProblem() {
        return engineProblem;
    }

    /** How many passes have ended since start (none yet: the service is still finding out what runs). */
    public long passes() {
        return passes.get();
    }

    // One environment's bad state (a corrupt pin file or trailer, an engine error) stops only that environment.
    // A rollout that failed and could not tidy up (the engine failing) leaves containers the recover clears.
    private void reconcileGuarded(Environment environment, List<String> engineProblems) {
        try {
            reconcile(environment, engineProblems);
        } catch (RuntimeException e) {
            problems.report(environment, e.getMessage());
            log.error("reconcile: environment {} left as it runs: {}", environment, e.getMessage());
        }
    }

    private void reconcile(Environment environment, List<String> engineProblems) {
        PinFile pins = state.pins(environment);
        problems.clear(environment);
        List<ServiceState> services;
        try {
            recover(environment);
            services = engine.services(environment);
        } catch (RuntimeException e) {
            engineProblems.add(e.getMessage());
            log.warn("reconcile: cannot list environment {}: {}", environment, e.getMessage());
            return;
        }
        for (ServiceState service : services) {
            ImageRef pin = pins.pin(service.service()).orElse(null);
            if (pin == null) {
                continue;
            }
            metrics.track(environment, service.service());
            metrics.restarts(environment, service.service(), service.restarts());
            if (queue.busy(environment, service.service())) {
                continue;
            }
            if (service.mixed() || !runs(service, pin)) {
                roll(environment, service, pin);
            } else {
                recordLanded(environment, service, pin);
            }
        }
    }

    private void roll(Environment environment, ServiceState service, ImageRef pin) {
        Intent intent = history.pending(environment, service.service())
                .filter(pending -> pending.image().equals(pin))
                .orElseGet(() -> Intent.of(new DeployRequest(environment, service.service(), pin), Trigger.reconcile()));
        log.info("reconcile: {}/{} runs {}, its pin is {}: rolling ({})", environment, service.service(),
                service.image(), pin, intent.trigger());
        queue.resume(intent);
    }

    // The rollout of an intent the service was stopped in (SIGKILL, a restart) went on and ended without it: the
    // service runs the pin, so the deploy landed. Recorded as such, with what it replaced, so that the history says
    // what became of it and a rollback goes back to the pin before it. A seed replaced nothing and is no deploy.
    private void recordLanded(Environment environment, ServiceState service, ImageRef pin) {
        String checked = environment + "/" + service.service() + "@" + pin;
        if (landedChecked.contains(checked)) {
            return;
        }
        history.unfinished(environment, service.service(), started)
                .filter(found -> found.intent().image().equals(pin))
                .filter(found -> found.replaced() != null && found.replaced().digest() != null)
                .ifPresent(found -> {
                    Deployment landed = landed(found, service);
                    log.warn("reconcile: {}/{} runs its pin {}: the rollout {} ended while the deploy service was"
                            + " down; recorded as deployed", environment, service.service(), pin, landed.id());
                    history.append(landed);
                    // Counted as the rollouts the queue runs are, begun and ended: the process that began it is gone.
                    metrics.started();
                    metrics.finished(environment, service.service(), landed.trigger().kind(), landed.outcome(),
                            landed.duration());
                });
        landedChecked.add(checked);
    }

    private Deployment landed(GitDeploymentHistory.Unfinished unfinished, ServiceState service) {
        Intent intent = unfinished.intent();
        ImageRef replaced = unfinished.replaced();
        Duration took = Duration.between(unfinished.accepted(), clock.instant());
        return new Deployment(intent.id(), intent.environment(), intent.service(), intent.image(),
                new ImageVersion(replaced.toString(), replaced.digest()), service.image(), intent.trigger(),
                RolloutResult.Outcome.DEPLOYED, unfinished.accepted(), took.isNegative() ? Duration.ZERO : took,
                "the deploy service stopped before this rollout ended, and found it done after its restart ("
                        + service.replicas() + " replicas on the pin)");
    }

    // A pin by digest is met by that digest; a pin by tag only by a container created from that reference.
    private static boolean runs(ServiceState service, ImageRef pin) {
        return pin.digest() != null ? pin.digest().equals(service.image().digest())
                : service.image().reference().equals(pin.pinned());
    }

    private void recover(Environment environment) {
        engine.recover(environment).forEach(line -> log.warn("recover {}: {}", environment, line));
    }

    // Whatever a pass throws, the next pass must run: an exception escaping a scheduled task cancels it for good.
    private void reconcileQuietly() {
        try {
            reconcile();
        } catch (Throwable e) {
            log.error("reconcile pass failed; the next one runs as scheduled", e);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
