package io.rinpoche.deploy.rollout;

/** A rollout that could not be carried out; the message names the environment, service and image. */
public class RolloutException extends RuntimeException {

    public RolloutException(String message) {
        super(message);
    }

    public RolloutException(String message, Throwable cause) {
        super(message, cause);
    }
}
