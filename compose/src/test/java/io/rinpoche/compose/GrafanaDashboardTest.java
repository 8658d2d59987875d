package io.rinpoche.compose;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The Grafana dashboard is valid JSON wired to the provisioned datasource; PlatformUpIT checks its metrics exist. */
class GrafanaDashboardTest {

    @Test
    void everyPanelQueriesTheProvisionedPrometheus() throws Exception {
        String datasources = Files.readString(GrafanaDashboard.DIR.resolve("provisioning/datasources/prometheus.yaml"));
        JsonNode dashboard = GrafanaDashboard.json();

        assertThat(datasources).contains("uid: rinpoche-prometheus").contains("url: http://prometheus:9090");
        assertThat(dashboard.path("uid").asString()).isEqualTo("rinpoche-platform");
        assertThat(dashboard.path("panels")).isNotEmpty();
        for (JsonNode panel : dashboard.path("panels")) {
            assertThat(panel.path("datasource").path("uid").asString()).as(panel.path("title").asString())
                    .isEqualTo("rinpoche-prometheus");
            assertThat(panel.path("targets")).as(panel.path("title").asString()).isNotEmpty();
        }
    }

    @Test
    void everyQuerySelectsAMetricThePlatformExports() {
        List<String> expressions = GrafanaDashboard.expressions();

        assertThat(expressions).allSatisfy(expr -> assertThat(expr).matches(".*[a-z_]+\\{.*"));
        assertThat(GrafanaDashboard.metrics()).contains("rinpoche_deployments_total", "rinpoche_edge_requests_total",
                "rinpoche_edge_request_duration_seconds_bucket", "rinpoche_deployment_duration_seconds_bucket");
        assertThat(GrafanaDashboard.metrics()).allSatisfy(name ->
                assertThat(name).matches("(rinpoche|nginx|mysql|redis|registry|node)_[a-z_]+"));
    }

    @Test
    void deploysAndRollbacksAreAnnotationsFromTheProvisionedPrometheus() {
        JsonNode annotations = GrafanaDashboard.json().path("annotations").path("list");

        assertThat(annotations).hasSize(3);
        for (JsonNode annotation : annotations) {
            assertThat(annotation.path("datasource").path("uid").asString()).isEqualTo("rinpoche-prometheus");
            assertThat(annotation.path("enable").asBoolean()).isTrue();
            assertThat(annotation.path("expr").asString()).contains("changes(rinpoche_deployments_total{outcome=~");
            assertThat(annotation.path("titleFormat").asString()).contains("{{environment}}/{{service}}");
        }
        // A rollback (from the dashboard, the API or the analysis) is marked as one, not as a deploy.
        assertThat(annotations.get(0).path("expr").asString()).contains("trigger!~\"rollback|analysis\"");
        assertThat(annotations.get(1).path("expr").asString()).contains("trigger=~\"rollback|analysis\"");
        assertThat(annotations.get(2).path("expr").asString()).contains("rolled_back|failed");
    }

    @Test
    void theDashboardsFolderIsProvisioned() throws Exception {
        assertThat(Files.readString(GrafanaDashboard.DIR.resolve("provisioning/dashboards/rinpoche.yaml")))
                .contains("path: /var/lib/grafana/dashboards");
    }
}
