package io.rinpoche.deploy.web.dashboard;

import io.rinpoche.deploy.prometheus.PrometheusException;
import io.rinpoche.deploy.model.Environment;
import io.rinpoche.deploy.model.ServiceName;
import io.rinpoche.deploy.requests.DesiredState;
import io.rinpoche.deploy.web.api.EnvironmentView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rows of the dashboard's environments: each service as it runs, whether deploys change it (it has a pin in the
 * desired state: the catalogued apps, not MariaDB, Redis, nginx or the exporters, which change with `./platform up`),
 * and for those its edge figures next to the previous version's.
 */
public final class ServiceRows {

    private static final Logger log = LoggerFactory.getLogger(ServiceRows.class);
    private final DesiredState state;
    private final AppSignals signals;

    public ServiceRows(DesiredState state, AppSignals signals) {
        this.state = state;
        this.signals = signals;
    }

    /** One service; {@code figures} is null where there are none (not an app, or Prometheus did not answer). */
    public record Row(EnvironmentView.Service service, boolean deployable, AppSignals.Figures figures) {
    }

    /** The rows by environment name; {@code metricsUnavailable}: Prometheus did not answer, so no app has figures. */
    public record Rows(Map<String, List<Row>> byEnvironment, boolean metricsUnavailable) {
    }

    public Rows of(List<EnvironmentView> environments) {
        Map<String, List<Row>> rows = new LinkedHashMap<>();
        boolean prometheusUp = true;
        for (EnvironmentView environment : environments) {
            List<Row> list = new ArrayList<>();
            for (EnvironmentView.Service service : environment.services()) {
                boolean deployable = pinned(environment.name(), service.name());
                AppSignals.Figures figures = null;
                if (deployable && prometheusUp) {
                    try {
                        figures = signals.of(environment.name(), service.name(), Instant.parse(service.since()));
                    } catch (PrometheusException e) {
                        // One failure is enough: the other apps would only wait for the same timeout.
                        log.warn("dashboard app figures left out: {}", e.getMessage());
                        prometheusUp = false;
                    }
                }
                list.add(new Row(service, deployable, figures));
            }
            rows.put(environment.name(), list);
        }
        return new Rows(rows, !prometheusUp);
    }

    // Unreadable pins (the environment's view says why) make no service deployable: the buttons say so.
    private boolean pinned(String environment, String service) {
        try {
            return state.pinned(Environment.of(environment), ServiceName.of(service));
        } catch (RuntimeException e) {
            log.warn("dashboard cannot read the pin of {}/{}: {}", environment, service, e.getMessage());
            return false;
        }
    }
}
