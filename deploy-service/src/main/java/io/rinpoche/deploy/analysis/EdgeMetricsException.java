package io.rinpoche.deploy.analysis;

/** Prometheus could not give the edge figures: unreachable, an error status, or an answer that is no vector. */
public class EdgeMetricsException extends RuntimeException {

    public EdgeMetricsException(String message) {
        super(message);
    }

    public EdgeMetricsException(String message, Throwable cause) {
        super(message, cause);
    }
}
