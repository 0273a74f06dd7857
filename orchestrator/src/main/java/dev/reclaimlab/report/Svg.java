package dev.reclaimlab.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Small server-rendered SVG charts: the report stays one self-contained file that opens offline, and a chart's
 * size does not grow with the trace (callers pass pre-aggregated, down-sampled series).
 */
public final class Svg {
    /** Colours that stay apart for the common colour-vision deficiencies (Okabe–Ito). */
    static final String[] COLOURS = {"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"};
    private static final int WIDTH = 640;
    private static final int HEIGHT = 260;
    private static final int LEFT = 64;
    private static final int RIGHT = 16;
    private static final int TOP = 40;
    private static final int BOTTOM = 40;
    /** Points per series at most; longer series are thinned, which keeps reports small for long runs. */
    static final int MAX_POINTS = 400;
    /** Series this short get a dot per point. */
    private static final int DOTTED_POINTS = 30;

    private Svg() {}

    /** One named line of (x, y) points. */
    public record Line(String name, List<double[]> points) {
        public Line {
            points = List.copyOf(points);
        }
    }

    /** Bars: one group per category, one bar per series within each group. */
    public record Bars(List<String> categories, List<String> series, double[][] values) {
        public Bars {
            categories = List.copyOf(categories);
            series = List.copyOf(series);
        }
    }

    /** Null when there is no point to draw. */
    public static String lines(String title, String xLabel, String yLabel, List<Line> given, boolean logX) {
        // Figures come from traces other machines wrote: a point that is not a finite number is not drawn.
        List<Line> lines = given.stream().map(l -> new Line(l.name(), l.points().stream()
                .filter(p -> Double.isFinite(p[0]) && Double.isFinite(p[1])).toList())).toList();
        double minX = Double.MAX_VALUE, maxX = -Double.MAX_VALUE, maxY = 0;
        for (Line line : lines) {
            for (double[] p : line.points()) {
                double x = logX ? Math.log10(Math.max(p[0], 1e-9)) : p[0];
                minX = Math.min(minX, x);
                maxX = Math.max(maxX, x);
                maxY = Math.max(maxY, p[1]);
            }
        }
        if (minX > maxX) {
            return null;
        }
        if (maxX == minX) {
            maxX = minX + 1;
        }
        maxY = niceCeiling(maxY);
        StringBuilder svg = open(title);
        axes(svg, xLabel, yLabel, maxY);
        for (int t = 0; t <= 4; t++) {
            double xv = minX + (maxX - minX) * t / 4;
            double label = logX ? Math.pow(10, xv) : xv;
            svg.append(text(x(xv, minX, maxX), HEIGHT - BOTTOM + 14, fmt(label), "middle"));
        }
        int colour = 0;
        for (Line line : lines) {
            StringBuilder path = new StringBuilder();
            for (double[] p : thin(line.points())) {
                double xv = logX ? Math.log10(Math.max(p[0], 1e-9)) : p[0];
                path.append(path.length() == 0 ? "M" : " L").append(num(x(xv, minX, maxX))).append(',')
                        .append(num(y(p[1], maxY)));
            }
            String stroke = COLOURS[colour % COLOURS.length];
            svg.append("<path class=\"mark\" fill=\"none\" stroke-width=\"1.8\" stroke=\"").append(stroke)
                    .append("\" d=\"").append(path).append("\"><title>").append(escape(line.name()))
                    .append("</title></path>");
            if (line.points().size() <= DOTTED_POINTS) {
                // Short series (a run of a few seconds) would be a bare segment or nothing: mark each point.
                for (double[] p : line.points()) {
                    double xv = logX ? Math.log10(Math.max(p[0], 1e-9)) : p[0];
                    svg.append("<circle class=\"mark\" r=\"2.5\" fill=\"").append(stroke).append("\" cx=\"")
                            .append(num(x(xv, minX, maxX))).append("\" cy=\"").append(num(y(p[1], maxY)))
                            .append("\"><title>").append(escape(line.name() + ": " + fmt(p[1]))).append("</title></circle>");
                }
            }
            colour++;
        }
        legend(svg, lines.stream().map(Line::name).toList());
        return svg.append("</svg>").toString();
    }

    /** Null when no bar has a value: a chart of nothing is left out of the report. */
    public static String bars(String title, String yLabel, Bars bars) {
        boolean anyValue = false;
        for (double[] group : bars.values()) {
            for (double v : group) {
                anyValue |= Double.isFinite(v);
            }
        }
        if (!anyValue) {
            return null;
        }
        double maxY = 0;
        for (double[] group : bars.values()) {
            for (double v : group) {
                maxY = Math.max(maxY, Double.isFinite(v) ? v : 0);
            }
        }
        if (bars.categories().isEmpty()) {
            return null;
        }
        maxY = niceCeiling(maxY);
        StringBuilder svg = open(title);
        axes(svg, "", yLabel, maxY);
        double groupWidth = (double) (WIDTH - LEFT - RIGHT) / bars.categories().size();
        double barWidth = groupWidth * 0.8 / Math.max(1, bars.series().size());
        for (int c = 0; c < bars.categories().size(); c++) {
            double groupX = LEFT + c * groupWidth + groupWidth * 0.1;
            for (int s = 0; s < bars.series().size(); s++) {
                double v = Double.isFinite(bars.values()[c][s]) ? bars.values()[c][s] : Double.NaN;
                // A zero still gets a hairline, so "measured 0" and "not measured" look different.
                double top = Math.min(y(Double.isNaN(v) ? 0 : v, maxY), HEIGHT - BOTTOM - (Double.isNaN(v) ? 0 : 1));
                svg.append("<rect class=\"mark\" x=\"").append(num(groupX + s * barWidth)).append("\" y=\"").append(num(top))
                        .append("\" width=\"").append(num(barWidth * 0.92)).append("\" height=\"")
                        .append(num(HEIGHT - BOTTOM - top)).append("\" fill=\"").append(COLOURS[s % COLOURS.length])
                        .append("\"><title>").append(escape(bars.categories().get(c) + " " + bars.series().get(s)
                                + ": " + fmt(v))).append("</title></rect>");
            }
            svg.append(text(LEFT + c * groupWidth + groupWidth / 2, HEIGHT - BOTTOM + 14,
                    shorten(bars.categories().get(c), (int) (groupWidth / 6.5)), "middle"));
        }
        legend(svg, bars.series());
        return svg.append("</svg>").toString();
    }

    private static StringBuilder open(String title) {
        return new StringBuilder("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 ")
                .append(WIDTH).append(' ').append(HEIGHT).append("\" role=\"img\" aria-label=\"").append(escape(title))
                .append("\"><text x=\"").append(LEFT).append("\" y=\"16\" class=\"title\">").append(escape(title))
                .append("</text>");
    }

    private static void axes(StringBuilder svg, String xLabel, String yLabel, double maxY) {
        svg.append("<g class=\"axis\"><line x1=\"").append(LEFT).append("\" y1=\"").append(HEIGHT - BOTTOM)
                .append("\" x2=\"").append(WIDTH - RIGHT).append("\" y2=\"").append(HEIGHT - BOTTOM).append("\"/>")
                .append("<line x1=\"").append(LEFT).append("\" y1=\"").append(TOP).append("\" x2=\"").append(LEFT)
                .append("\" y2=\"").append(HEIGHT - BOTTOM).append("\"/></g>");
        for (int t = 0; t <= 4; t++) {
            double v = maxY * t / 4;
            double yy = y(v, maxY);
            svg.append("<line class=\"grid\" x1=\"").append(LEFT).append("\" x2=\"").append(WIDTH - RIGHT)
                    .append("\" y1=\"").append(num(yy)).append("\" y2=\"").append(num(yy)).append("\"/>");
            svg.append(text(LEFT - 6, yy + 4, fmt(v), "end"));
        }
        svg.append(text((LEFT + WIDTH - RIGHT) / 2.0, HEIGHT - 6, xLabel, "middle"));
        svg.append("<text class=\"label\" transform=\"translate(14,").append((TOP + HEIGHT - BOTTOM) / 2)
                .append(") rotate(-90)\" text-anchor=\"middle\">").append(escape(yLabel)).append("</text>");
    }

    private static void legend(StringBuilder svg, List<String> names) {
        double x = WIDTH - RIGHT;
        for (int i = names.size() - 1; i >= 0; i--) {
            String name = shorten(names.get(i), 28);
            x -= 18 + name.length() * 6.6;
            svg.append("<rect x=\"").append(num(x)).append("\" y=\"21\" width=\"10\" height=\"10\" fill=\"")
                    .append(COLOURS[i % COLOURS.length]).append("\"/>")
                    .append(text(x + 13, 30, name, "start"));
        }
    }

    private static List<double[]> thin(List<double[]> points) {
        if (points.size() <= MAX_POINTS) {
            return points;
        }
        double step = (double) points.size() / MAX_POINTS;
        List<double[]> out = new ArrayList<>();
        for (double i = 0; i < points.size(); i += step) {
            out.add(points.get((int) i));
        }
        out.add(points.get(points.size() - 1));
        return out;
    }

    private static double x(double value, double min, double max) {
        return LEFT + (value - min) / (max - min) * (WIDTH - LEFT - RIGHT);
    }

    private static double y(double value, double maxY) {
        return HEIGHT - BOTTOM - (maxY == 0 ? 0 : value / maxY * (HEIGHT - TOP - BOTTOM));
    }

    /** 1, 2 or 5 times a power of ten at or above {@code v}, so axis ticks read well. */
    static double niceCeiling(double v) {
        if (v <= 0) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (!Double.isFinite(m * magnitude)) {
                return v; // near Double.MAX_VALUE: no rounder ceiling exists
            }
            if (m * magnitude >= v) {
                return m * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static String text(double x, double y, String content, String anchor) {
        return "<text x=\"" + num(x) + "\" y=\"" + num(y) + "\" text-anchor=\"" + anchor + "\">" + escape(content)
                + "</text>";
    }

    static String fmt(double v) {
        if (!Double.isFinite(v)) {
            return "n/a";
        }
        double a = Math.abs(v);
        if (a >= 1e9) {
            return String.format(Locale.ROOT, "%.3gG", v / 1e9);
        }
        if (a >= 1e6) {
            return String.format(Locale.ROOT, "%.3gM", v / 1e6);
        }
        if (a >= 1e4) {
            return String.format(Locale.ROOT, "%.3gk", v / 1e3);
        }
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.3g", v);
    }

    /** A coordinate; never NaN or Infinity, which would make the whole SVG invalid. */
    private static String num(double v) {
        if (!Double.isFinite(v)) {
            return "0.0";
        }
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, Math.max(1, max - 1)) + "…";
    }

    /** Text and attribute values in SVG and HTML: the five characters markup gives meaning. */
    public static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
