package io.rinpoche.deploy.rollout;

/**
 * A rollout that could not be carried out for a reason that may pass: the engine or the registry did not answer,
 * or refused with a server error (restarting, say). The queue tries again, with backoff, before giving up.
 */
public class TransientRolloutException extends RolloutException {

    public TransientRolloutException(String message, Throwable cause) {
        super(message, cause);
    }
}
