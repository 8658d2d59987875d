package io.rinpoche.deploy.requests;

/** A rollback with no earlier image to go back to; the message says what the history lacks. */
public class NothingToRollBackException extends RuntimeException {

    public NothingToRollBackException(String message) {
        super(message);
    }
}
