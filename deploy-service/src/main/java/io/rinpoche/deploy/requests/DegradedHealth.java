package io.rinpoche.deploy.requests;

import io.rinpoche.deploy.state.StateRepository;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * The health endpoint's {@code deployService} entry: UP, or {@code DEGRADED} with the reasons, when the service
 * takes hooks and requests but cannot carry them all out now - the Docker engine or the state remote does not
 * answer, the last commit could not be written (a full volume: hooks get 503 and are redelivered), or the first
 * reconcile pass (which finds out what runs) has not ended. DEGRADED still answers 200: the
 * service is alive and loses nothing; what it accepts is rolled out, or pushed, once the engine or remote is back.
 */
public final class DegradedHealth implements HealthIndicator {

    public static final Status DEGRADED = new Status("DEGRADED");

    private final Reconciler reconciler;
    private final StateRepository state;

    public DegradedHealth(Reconciler reconciler, StateRepository state) {
        this.reconciler = reconciler;
        this.state = state;
    }

    @Override
    public Health health() {
        List<String> reasons = reasons();
        return reasons.isEmpty() ? Health.up().build() : Health.status(DEGRADED).withDetail("reasons", reasons).build();
    }

    /** Why the service is degraded; empty when it is not. */
    public List<String> reasons() {
        List<String> reasons = new ArrayList<>();
        if (reconciler.passes() == 0) {
            reasons.add("starting: the first reconcile pass (state remote, Docker engine) has not ended yet");
        }
        reconciler.engineProblem().ifPresent(reasons::add);
        state.writeProblem().ifPresent(reasons::add);
        state.remoteProblem().ifPresent(reasons::add);
        return reasons;
    }
}
