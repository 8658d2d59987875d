package io.rinpoche.deploy.rollout;

import io.rinpoche.deploy.model.DeployRequest;
import io.rinpoche.deploy.model.Environment;
import java.util.List;

/**
 * Makes the actual state of one environment match a request: rolls a service onto an image with no
 * failed request, health-gated, rolled back when the new image does not come up. The compose engine
 * (one Docker host, container level) implements it; a swarm engine (service update) will too. Every
 * implementation passes the same contract tests ({@code RolloutEngineContract}).
 */
public interface RolloutEngine {

    /**
     * Rolls {@code request.service()} of {@code request.environment()} onto {@code request.image()}, one
     * replica at a time. Returns {@code DEPLOYED}, {@code SKIPPED} (already running that image) or
     * {@code ROLLED_BACK} (with the reason; the old version kept serving). {@code check} says whether the image must
     * be what its tag points to at its registry now (a hook deploy) or may be any image pinned on purpose.
     *
     * @throws RolloutException when the rollout cannot be carried out at all (no such service, image not
     *     found, refused by {@code check}...); the message says which environment, service and image
     * @throws TransientRolloutException when it could not be carried out for a reason that may pass (the engine or
     *     the registry unreachable or failing): nothing was changed, and the same request may be tried again
     */
    RolloutResult roll(DeployRequest request, ImageCheck check);

    /** {@link #roll(DeployRequest, ImageCheck)} of an image pinned on purpose ({@link ImageCheck#AS_PINNED}). */
    default RolloutResult roll(DeployRequest request) {
        return roll(request, ImageCheck.AS_PINNED);
    }

    /**
     * Tidies up after rollouts in {@code environment} that never finished (the process running them was killed, or
     * the engine failed while one was undoing its steps): afterwards each replica of theirs is one container, running
     * the old image or the new one, and no container the engine made for them is left over. Rollouts in progress
     * in this process are left alone, so it may be called at any time. Returns what it did, one line per container,
     * for the log.
     */
    List<String> recover(Environment environment);

    /** What runs in {@code environment} now: one entry per service, sorted by name. */
    List<ServiceState> services(Environment environment);
}
