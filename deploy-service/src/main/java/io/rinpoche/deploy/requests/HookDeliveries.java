package io.rinpoche.deploy.requests;

import io.rinpoche.deploy.history.HistoryException;
import io.rinpoche.deploy.history.Intent;
import io.rinpoche.deploy.history.Trigger;
import io.rinpoche.deploy.hook.HookIntake;
import io.rinpoche.deploy.hook.HookRejection;
import io.rinpoche.deploy.hook.adapter.HookEvents;
import io.rinpoche.deploy.metrics.DeploymentMetrics;
import io.rinpoche.deploy.metrics.HookMetrics;
import io.rinpoche.deploy.metrics.HookOutcome;
import io.rinpoche.deploy.metrics.RequestOutcome;
import io.rinpoche.deploy.policy.Decision;
import io.rinpoche.deploy.policy.Policy;
import io.rinpoche.deploy.queue.DeployQueue;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A registry hook, from request to queue: {@link HookIntake} turns it into pushes (or refuses it),
 * {@link Policy} decides where each push goes, and each planned push is submitted to the {@link DeployQueue}
 * as an intent triggered by the hook. A hook event id accepted before is not submitted again. Every delivery
 * is counted by outcome, refusals included.
 */
public final class HookDeliveries {

    private static final Logger log = LoggerFactory.getLogger(HookDeliveries.class);
    private final HookIntake intake;
    private final Policy policy;
    private final Policy.Pins pins;
    private final DeployQueue queue;
    private final HookMetrics hookMetrics;
    private final DeploymentMetrics deploymentMetrics;
    // Guarded by itself; held across a submission, so a redelivery racing the first delivery waits for its outcome.
    private final RecentEvents events;

    /**
     * @param rememberedEvents how many hook event ids are remembered (the newest)
     * @param accepted hook events accepted before this start, newest first (from the history)
     * @param pins what each service is pinned to now, for forward-only rules
     */
    public HookDeliveries(HookIntake intake, Policy policy, DeployQueue queue, HookMetrics hookMetrics,
                          DeploymentMetrics deploymentMetrics, int rememberedEvents, List<Trigger> accepted,
                          Policy.Pins pins) {
        this.intake = intake;
        this.policy = policy;
        this.pins = pins;
        this.queue = queue;
        this.hookMetrics = hookMetrics;
        this.deploymentMetrics = deploymentMetrics;
        this.events = new RecentEvents(rememberedEvents);
        for (int i = accepted.size() - 1; i >= 0; i--) {
            events.add(key(accepted.get(i)));
        }
    }

    /** What became of one hook request: a decision per push, and why the rest of it was skipped. */
    public record Delivery(String source, List<Decision> decisions, List<String> skipped) {

        /** True when at least one push was planned (and queued). */
        public boolean accepted() {
            return decisions.stream().anyMatch(Decision.Planned.class::isInstance);
        }
    }

    /**
     * Takes one request for source {@code source}; the arguments are those of {@link HookIntake#receive}.
     *
     * @throws HookRejection when the intake refuses it
     * @throws HistoryException when a planned push could not be recorded: pushes before it in the request
     *     were queued, it and those after it were not, and a redelivery takes them
     */
    public Delivery receive(String source, String pathToken, Map<String, String> headers, long declaredLength,
                            InputStream body) {
        try {
            HookEvents pushes = intake.receive(source, pathToken, headers, declaredLength, body);
            List<Decision> decisions = pushes.pushes().stream().map(push -> policy.decide(push, pins)).map(this::submit)
                    .toList();
            return delivered(new Delivery(source, decisions, pushes.ignored()));
        } catch (HookRejection rejection) {
            hookMetrics.record(rejection.source(), HookOutcome.valueOf(rejection.reason().name()));
            throw rejection;
        } catch (HistoryException e) {
            hookMetrics.record(source, HookOutcome.UNRECORDED);
            throw e;
        }
    }

    private Delivery delivered(Delivery delivery) {
        hookMetrics.record(delivery.source(), delivery.accepted() ? HookOutcome.ACCEPTED : HookOutcome.IGNORED);
        log.info("hook from source {}: {} ({} planned, {} ignored)", delivery.source(),
                delivery.accepted() ? "accepted" : "ignored",
                delivery.decisions().stream().filter(Decision.Planned.class::isInstance).count(),
                delivery.decisions().stream().filter(Decision.Ignored.class::isInstance).count()
                        + delivery.skipped().size());
        return delivery;
    }

    private Decision submit(Decision decision) {
        if (decision instanceof Decision.Planned planned) {
            submit(planned);
            log.info("planned {}", planned.summary());
        }
        return decision;
    }

    private void submit(Decision.Planned planned) {
        Trigger trigger = Trigger.hook(planned.event().source(), planned.event().eventId());
        String key = key(trigger);
        synchronized (events) {
            if (!events.add(key)) {
                deploymentMetrics.requested(planned.request().environment(), planned.request().service(),
                        RequestOutcome.REDELIVERED);
                log.info("event {} from source {} was accepted before: ignoring its redelivery", trigger.eventId(),
                        trigger.source());
                return;
            }
            try {
                queue.submit(Intent.of(planned.request(), trigger));
            } catch (RuntimeException e) {
                events.remove(key); // not accepted: its redelivery must be taken
                throw e;
            }
        }
    }

    private static String key(Trigger hook) {
        return hook.source() + "/" + hook.eventId();
    }
}
