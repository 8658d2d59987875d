package io.rinpoche.deploy.state;

import io.rinpoche.deploy.history.HistoryException;

/** The state repository cannot be read or written; the message says what and where. */
public class StateException extends HistoryException {

    public StateException(String message) {
        super(message);
    }

    public StateException(String message, Throwable cause) {
        super(message, cause);
    }
}
