package io.rinpoche.deploy.prometheus;

/** Prometheus could not answer a query: unreachable, too slow, or an error status or unexpected body. */
public class PrometheusException extends RuntimeException {

    public PrometheusException(String message, Throwable cause) {
        super(message, cause);
    }

    public PrometheusException(String message) {
        super(message);
    }
}
