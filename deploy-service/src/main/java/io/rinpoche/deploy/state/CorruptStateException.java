package io.rinpoche.deploy.state;

/** A state file that cannot be read as pins; the message names the file and the line. */
public class CorruptStateException extends StateException {

    public CorruptStateException(String message) {
        super(message);
    }
}
