package io.courier.rpc.benchmark.report;

import java.util.List;
import java.util.Locale;

/**
 * Draws grouped bar charts as hand-written SVG: one panel per metric, groups along the x axis
 * (methods), one bar per series (contenders) in each group, each bar labelled with its value.
 *
 * <p>Not thread-safe: build one chart on one thread.
 */
final class BarChart {

    private static final String[] COLORS = {"#1f6feb", "#d29922", "#8957e5", "#57606a", "#2da44e", "#cf222e"};
    private static final int WIDTH = 960;
    private static final int PANEL_HEIGHT = 300;
    private static final int LEFT = 70;
    private static final int RIGHT = 20;
    private static final int HEADER = 126;

    private final StringBuilder body = new StringBuilder();
    private final String title;
    private final List<String> subtitle;
    private final List<String> series;
    private int panels;

    BarChart(String title, List<String> subtitle, List<String> series) {
        this.title = title;
        this.subtitle = subtitle;
        this.series = series;
    }

    /**
     * Adds a panel; bars are labelled with {@link #compact} values.
     *
     * @param values {@code values[group][series]}, NaN for a missing bar
     */
    BarChart panel(String metric, List<String> groups, double[][] values) {
        int top = HEADER + panels * (PANEL_HEIGHT + 40);
        int plotTop = top + 28;
        int plotHeight = PANEL_HEIGHT - 60;
        int plotBottom = plotTop + plotHeight;
        double max = 0;
        for (double[] row : values) {
            for (double v : row) {
                if (!Double.isNaN(v)) {
                    max = Math.max(max, v);
                }
            }
        }
        double scaleMax = niceCeiling(max);
        text(LEFT, top + 14, metric, "start", 15, "bold");
        for (int i = 0; i <= 4; i++) {
            double v = scaleMax * i / 4;
            double y = plotBottom - plotHeight * (double) i / 4;
            body.append(String.format(Locale.ROOT,
                    "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#d0d7de\" stroke-width=\"1\"/>%n",
                    LEFT, y, WIDTH - RIGHT, y));
            text(LEFT - 6, y + 4, compact(v), "end", 11, "normal");
        }
        int plotWidth = WIDTH - LEFT - RIGHT;
        double groupWidth = (double) plotWidth / groups.size();
        double barWidth = groupWidth * 0.8 / series.size();
        for (int g = 0; g < groups.size(); g++) {
            double groupLeft = LEFT + g * groupWidth + groupWidth * 0.1;
            for (int s = 0; s < series.size(); s++) {
                double v = values[g][s];
                if (Double.isNaN(v)) {
                    continue;
                }
                double h = scaleMax == 0 ? 0 : plotHeight * v / scaleMax;
                double x = groupLeft + s * barWidth;
                body.append(String.format(Locale.ROOT,
                        "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%s %s: %s</title></rect>%n",
                        x + 1, plotBottom - h, barWidth - 2, h, COLORS[s % COLORS.length], escape(series.get(s)),
                        escape(groups.get(g)), String.format(Locale.ROOT, "%,.0f", v)));
                text(x + barWidth / 2, plotBottom - h - 4, compact(v), "middle", 10, "normal");
            }
            text(LEFT + g * groupWidth + groupWidth / 2, plotBottom + 18, groups.get(g), "middle", 13, "normal");
        }
        panels++;
        return this;
    }

    String toSvg() {
        int height = HEADER + panels * (PANEL_HEIGHT + 40);
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"Helvetica, Arial, sans-serif\">%n", WIDTH, height, WIDTH, height));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>%n", WIDTH, height));
        StringBuilder header = new StringBuilder();
        appendText(header, LEFT, 28, title, "start", 18, "bold");
        for (int i = 0; i < subtitle.size(); i++) {
            appendText(header, LEFT, 46 + 14 * i, subtitle.get(i), "start", 11, "normal");
        }
        double x = LEFT;
        for (int s = 0; s < series.size(); s++) {
            header.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"92\" width=\"12\" height=\"12\" fill=\"%s\"/>%n",
                    x, COLORS[s % COLORS.length]));
            appendText(header, x + 16, 102, series.get(s), "start", 12, "normal");
            x += 24 + 7.5 * series.get(s).length();
        }
        svg.append(header).append(body).append("</svg>\n");
        return svg.toString();
    }

    private void text(double x, double y, String s, String anchor, int size, String weight) {
        appendText(body, x, y, s, anchor, size, weight);
    }

    private static void appendText(StringBuilder out, double x, double y, String s, String anchor, int size,
            String weight) {
        out.append(String.format(Locale.ROOT,
                "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\" font-weight=\"%s\" fill=\"#24292f\">%s</text>%n",
                x, y, anchor, size, weight, escape(s)));
    }

    private static double niceCeiling(double v) {
        if (v <= 0) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(v)));
        for (double step : new double[] {1, 2, 2.5, 5, 10}) {
            if (step * magnitude >= v) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }

    /** Formats 1234567 as 1.23M, 171714 as 172k, 2636 as 2.6k and 274 as 274. */
    static String compact(double v) {
        if (v >= 1_000_000) {
            return String.format(Locale.ROOT, "%.2fM", v / 1_000_000);
        }
        if (v >= 10_000) {
            return String.format(Locale.ROOT, "%.0fk", v / 1_000);
        }
        if (v >= 1_000) {
            String s = String.format(Locale.ROOT, "%.1fk", v / 1_000);
            return s.endsWith(".0k") ? s.replace(".0k", "k") : s;
        }
        return String.format(Locale.ROOT, "%.0f", v);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
