package io.rinpoche.deploy.web.dashboard;

import io.rinpoche.deploy.prometheus.PrometheusException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/**
 * An alert Prometheus fires now (compose/platform/alerts.yml), as the dashboard lists it.
 *
 * @param name     the rule's name, e.g. DeployFailed
 * @param severity its severity label, or empty
 * @param summary  its summary annotation, or empty
 * @param where    its other labels (environment, service, job...), sorted
 * @param since    when it became active
 */
public record FiringAlert(String name, String severity, String summary, Map<String, String> where, Instant since) {

    /** The firing ones of the alerts' {@code data}: {@code {"alerts":[{"labels":{"alertname":..},"annotations":{..},"state":"firing","activeAt":..}]}}. */
    static List<FiringAlert> firing(JsonNode data) {
        JsonNode alerts = data.path("alerts");
        if (!alerts.isArray()) {
            throw new PrometheusException("Prometheus answered no alerts (no list under data.alerts)");
        }
        List<FiringAlert> firing = new ArrayList<>();
        for (JsonNode alert : alerts) {
            if ("firing".equals(alert.path("state").asString(""))) {
                firing.add(of(alert));
            }
        }
        return firing;
    }

    private static FiringAlert of(JsonNode alert) {
        Map<String, String> where = new TreeMap<>();
        alert.path("labels").properties().forEach(e -> where.put(e.getKey(), e.getValue().asString("")));
        String name = where.remove("alertname");
        String severity = where.remove("severity");
        return new FiringAlert(name == null ? "?" : name, severity == null ? "" : severity,
                alert.path("annotations").path("summary").asString(""), where, Instant.parse(alert.path("activeAt").asString()));
    }
}
