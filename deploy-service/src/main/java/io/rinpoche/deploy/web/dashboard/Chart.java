package io.rinpoche.deploy.web.dashboard;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One chart of the dashboard, ready to draw as inline SVG: a line per series (a polyline's points) or bars,
 * scaled into a {@value #WIDTH} x {@value #HEIGHT} box, with a vertical marker for each deploy in its time range.
 * {@code note} says why there is nothing to draw.
 */
public record Chart(String title, String unit, List<Line> lines, List<Bar> bars, String note, List<Marker> markers) {

    public static final int WIDTH = 300;
    public static final int HEIGHT = 60;

    /** A series as an SVG polyline, with its label and latest value. */
    public record Line(String label, String points, String latest) {
    }

    /** A bar, with its label (e.g. a day) and value. */
    public record Bar(double x, double y, double width, double height, String label, String value) {
    }

    /** A deploy or rollback to mark: when it started, what it was, and whether it failed or rolled back. */
    public record Deploy(Instant at, String label, boolean failed) {
    }

    /** A deploy's marker: a vertical line at {@code x}. */
    public record Marker(double x, String label, boolean failed) {
    }

    /** A chart with nothing to draw, and why. */
    public static Chart empty(String title, String unit, String note) {
        return new Chart(title, unit, List.of(), List.of(), note, List.of());
    }

    /** Each series as a line, {@code labelOf} naming it; all share one scale. */
    public static Chart lines(String title, String unit, List<Series> series, String labelName, String noData) {
        return lines(title, unit, series, labelName, noData, List.of());
    }

    /** As {@link #lines(String, String, List, String, String)}, with a marker for each of {@code deploys} in range. */
    public static Chart lines(String title, String unit, List<Series> series, String labelName, String noData,
                              List<Deploy> deploys) {
        double max = max(series);
        long from = series.stream().flatMap(s -> s.points().stream()).mapToLong(Series.Point::epochSeconds).min().orElse(0);
        long to = series.stream().flatMap(s -> s.points().stream()).mapToLong(Series.Point::epochSeconds).max().orElse(1);
        List<Line> lines = new ArrayList<>();
        for (Series s : series) {
            StringBuilder points = new StringBuilder();
            for (Series.Point p : s.points()) {
                if (Double.isFinite(p.value())) {
                    points.append(format(x(p.epochSeconds(), from, to))).append(',')
                            .append(format(y(p.value(), max))).append(' ');
                }
            }
            lines.add(new Line(s.label(labelName, "all"), points.toString().strip(), number(latest(s))));
        }
        List<Marker> markers = deploys.stream()
                .filter(d -> d.at().getEpochSecond() >= from && d.at().getEpochSecond() <= to)
                .map(d -> new Marker(Double.parseDouble(format(x(d.at().getEpochSecond(), from, to))), d.label(), d.failed()))
                .toList();
        return new Chart(title, unit, lines, List.of(), lines.isEmpty() ? noData : null, markers);
    }

    /** The points of the first series as bars (e.g. one per day). */
    public static Chart bars(String title, String unit, List<Series> series, String noData) {
        List<Series.Point> points = series.isEmpty() ? List.of() : series.get(0).points();
        double max = max(series);
        double width = points.isEmpty() ? 0 : (double) WIDTH / points.size();
        List<Bar> bars = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            double value = Double.isFinite(points.get(i).value()) ? points.get(i).value() : 0;
            double top = y(value, max);
            bars.add(new Bar(i * width + 1, top, Math.max(width - 2, 1), HEIGHT - top,
                    Instant.ofEpochSecond(points.get(i).epochSeconds()).toString().substring(0, 10),
                    number(value)));
        }
        return new Chart(title, unit, List.of(), bars, bars.isEmpty() ? noData : null, List.of());
    }

    private static double max(List<Series> series) {
        double max = series.stream().flatMap(s -> s.points().stream()).mapToDouble(Series.Point::value)
                .filter(Double::isFinite).max().orElse(0);
        return max > 0 ? max : 1;
    }

    private static double latest(Series series) {
        return series.points().isEmpty() ? Double.NaN : series.points().get(series.points().size() - 1).value();
    }

    private static double x(long at, long from, long to) {
        return to == from ? WIDTH : (double) (at - from) / (to - from) * WIDTH;
    }

    // SVG's y axis points down: the largest value touches the top.
    private static double y(double value, double max) {
        return HEIGHT - value / max * (HEIGHT - 2);
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    private static String number(double value) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%.2f", value) : "n/a";
    }
}
