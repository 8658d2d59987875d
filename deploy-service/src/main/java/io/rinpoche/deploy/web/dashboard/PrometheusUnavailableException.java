package io.rinpoche.deploy.web.dashboard;

/** Prometheus could not answer a query: unreachable, too slow, or an error or unexpected body. */
public class PrometheusUnavailableException extends RuntimeException {

    public PrometheusUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public PrometheusUnavailableException(String message) {
        super(message);
    }
}
