package io.rinpoche.deploy.web.dashboard;

import java.util.List;
import java.util.Map;

/** One series of a Prometheus range query: its labels and its points in time order. */
public record Series(Map<String, String> labels, List<Point> points) {

    public Series {
        labels = Map.copyOf(labels);
        points = List.copyOf(points);
    }

    /** One sample; {@code value} may be NaN (Prometheus sends "NaN" for 0/0). */
    public record Point(long epochSeconds, double value) {
    }

    /** The value of label {@code name}, or {@code fallback}. */
    public String label(String name, String fallback) {
        return labels.getOrDefault(name, fallback);
    }
}
