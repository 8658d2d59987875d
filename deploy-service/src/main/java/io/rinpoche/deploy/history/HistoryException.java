package io.rinpoche.deploy.history;

/** The history cannot be read or written (with the git state: the state repository); the message says why. */
public class HistoryException extends RuntimeException {

    public HistoryException(String message) {
        super(message);
    }

    public HistoryException(String message, Throwable cause) {
        super(message, cause);
    }
}
