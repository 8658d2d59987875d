package io.rinpoche.compose;

import io.rinpoche.testing.RinpocheImages;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** The provisioned Grafana dashboard (compose/platform/grafana): its queries and the metrics they read. */
final class GrafanaDashboard {

    static final Path DIR = RinpocheImages.root().resolve("compose/platform/grafana");
    // The dashboard's queries name every metric with a selector, `name{...}`; functions are `name(`.
    private static final Pattern SELECTED_METRIC = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\{");

    private GrafanaDashboard() {
    }

    static JsonNode json() {
        return new ObjectMapper().readTree(DIR.resolve("dashboards/rinpoche.json").toFile());
    }

    /** Every PromQL expression of every panel and annotation. */
    static List<String> expressions() {
        List<String> exprs = new ArrayList<>();
        json().path("annotations").path("list").forEach(annotation -> exprs.add(annotation.path("expr").asString()));
        for (JsonNode panel : json().path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                exprs.add(target.path("expr").asString());
            }
        }
        return exprs;
    }

    /** The metric names the expressions select. */
    static Set<String> metrics() {
        Set<String> names = new TreeSet<>();
        for (String expr : expressions()) {
            Matcher matcher = SELECTED_METRIC.matcher(expr);
            while (matcher.find()) {
                names.add(matcher.group(1));
            }
        }
        return names;
    }
}
