package io.rinpoche.deploy.analysis;

import io.rinpoche.deploy.model.Environment;
import io.rinpoche.deploy.model.ServiceName;
import java.time.Instant;

/** Where an app's figures at the edge come from: Prometheus ({@link PrometheusEdgeMetrics}), or a test's own. */
public interface EdgeMetrics {

    /**
     * What the edge saw of {@code service} (the catalogue's app) of {@code environment} from {@code start} to {@code end}.
     *
     * @throws EdgeMetricsException when the figures cannot be read
     */
    EdgeFigures figures(Environment environment, ServiceName service, Instant start, Instant end);
}
