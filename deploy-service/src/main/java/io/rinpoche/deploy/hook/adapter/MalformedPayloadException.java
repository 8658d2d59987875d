package io.rinpoche.deploy.hook.adapter;

/** The body is JSON but not the shape the source's registry documents. */
public class MalformedPayloadException extends RuntimeException {

    public MalformedPayloadException(String message) {
        super(message);
    }
}
