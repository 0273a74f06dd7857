package dev.reclaimlab.history;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * One trend as an inline SVG: a point per run (the median of its repeats, a whisker from its smallest to its largest),
 * in time order, the kernel under each. Hover shows run, kernel and figures; a click opens the run's report. Runs that
 * showed a tracked regression are red; runs in the baseline are filled; a run whose trace lost more events than the
 * limit is drawn hollow and grey and says so, since its figure is not a result.
 */
final class TrendChart {
    private static final int WIDTH = 640;
    private static final int HEIGHT = 260;
    private static final int LEFT = 64;
    private static final int RIGHT = 16;
    private static final int TOP = 28;
    private static final int BOTTOM = 58;

    private TrendChart() {}

    static String svg(Trend trend, double lostLimitPercent, Function<String, String> link) {
        List<Trend.Point> points = trend.points();
        double maxY = points.stream().mapToDouble(Trend.Point::max).filter(Double::isFinite).max().orElse(1);
        double minY = Math.min(0, points.stream().mapToDouble(Trend.Point::min).filter(Double::isFinite).min().orElse(0));
        if (maxY <= minY) {
            maxY = minY + 1;
        }
        StringBuilder s = new StringBuilder();
        s.append("<svg class=\"chart trend\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
                .append("\" role=\"img\" aria-label=\"").append(dev.reclaimlab.report.Svg.escape(trend.metric())).append("\">");
        s.append("<text class=\"title\" x=\"").append(LEFT).append("\" y=\"16\">").append(dev.reclaimlab.report.Svg.escape(trend.metric() + " — "
                + trend.variant() + " on " + trend.host())).append("</text>");
        for (int t = 0; t <= 4; t++) {
            double v = minY + (maxY - minY) * t / 4;
            double y = y(v, minY, maxY);
            s.append("<line class=\"grid\" x1=\"").append(LEFT).append("\" x2=\"").append(WIDTH - RIGHT).append("\" y1=\"")
                    .append(num(y)).append("\" y2=\"").append(num(y)).append("\"/>");
            s.append("<text x=\"").append(LEFT - 6).append("\" y=\"").append(num(y + 4)).append("\" text-anchor=\"end\">")
                    .append(dev.reclaimlab.report.Svg.escape(figure(v))).append("</text>");
        }
        s.append("<g class=\"axis\"><line x1=\"").append(LEFT).append("\" x2=\"").append(LEFT).append("\" y1=\"").append(TOP)
                .append("\" y2=\"").append(HEIGHT - BOTTOM).append("\"/><line x1=\"").append(LEFT).append("\" x2=\"")
                .append(WIDTH - RIGHT).append("\" y1=\"").append(HEIGHT - BOTTOM).append("\" y2=\"").append(HEIGHT - BOTTOM)
                .append("\"/></g>");
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < points.size(); i++) {
            Trend.Point p = points.get(i);
            double x = x(i, points.size());
            line.append(line.length() == 0 ? "M" : " L").append(num(x)).append(',').append(num(y(p.median(), minY, maxY)));
        }
        s.append("<path class=\"mark\" fill=\"none\" stroke=\"#8fa3bf\" stroke-width=\"1.2\" d=\"").append(line).append("\"/>");
        String lastKernel = null;
        for (int i = 0; i < points.size(); i++) {
            Trend.Point p = points.get(i);
            double x = x(i, points.size());
            boolean lossy = p.lostPercent() != null && p.lostPercent() > lostLimitPercent;
            String colour = lossy ? "#8a8f98" : p.regression() != null ? "#c0262d" : "#2f5d9e";
            boolean filled = !lossy && "accepted".equals(p.baseline());
            String hover = String.format(Locale.ROOT, "%s\nkernel %s\n%s: median %s (min %s, max %s, %d repeat%s)%s%s%s",
                    p.runId(), p.kernel() == null ? "?" : p.kernel(), trend.metric(), figure(p.median()), figure(p.min()),
                    figure(p.max()), p.n(), p.n() == 1 ? "" : "s",
                    p.regression() != null ? "\nregression " + p.regression() : "",
                    p.baseline() != null ? "\nbaseline: " + p.baseline() : "",
                    lossy ? String.format(Locale.ROOT, "\nNOT A RESULT: a repeat's trace lost %.3g%% of its events", p.lostPercent()) : "");
            String href = p.report() == null ? null : link.apply(p.report());
            s.append("<g class=\"point").append(p.regression() != null ? " regressed" : "").append(lossy ? " lossy" : "")
                    .append("\" data-run=\"").append(dev.reclaimlab.report.Svg.escape(p.runId())).append("\">");
            if (href != null) {
                s.append("<a href=\"").append(dev.reclaimlab.report.Svg.escape(href)).append("\">");
            }
            s.append("<title>").append(dev.reclaimlab.report.Svg.escape(hover)).append("</title>");
            s.append("<line class=\"mark\" stroke=\"").append(colour).append("\" x1=\"").append(num(x)).append("\" x2=\"")
                    .append(num(x)).append("\" y1=\"").append(num(y(p.min(), minY, maxY))).append("\" y2=\"")
                    .append(num(y(p.max(), minY, maxY))).append("\"/>");
            s.append("<circle class=\"mark\" r=\"").append(p.regression() != null ? 6 : 4.5).append("\" cx=\"").append(num(x))
                    .append("\" cy=\"").append(num(y(p.median(), minY, maxY))).append("\" stroke=\"").append(colour)
                    .append("\" stroke-width=\"2\" fill=\"").append(filled ? colour : "#fff").append("\"/>");
            if (lossy) {
                s.append("<text x=\"").append(num(x)).append("\" y=\"").append(num(y(p.max(), minY, maxY) - 8))
                        .append("\" text-anchor=\"middle\" class=\"bad\">lost</text>");
            }
            if (href != null) {
                s.append("</a>");
            }
            s.append("</g>");
            if (p.kernel() != null && !p.kernel().equals(lastKernel)) {
                s.append("<text x=\"").append(num(x)).append("\" y=\"").append(HEIGHT - BOTTOM + 14)
                        .append("\" text-anchor=\"end\" transform=\"rotate(-30 ").append(num(x)).append(' ')
                        .append(HEIGHT - BOTTOM + 14).append(")\">").append(dev.reclaimlab.report.Svg.escape(shortKernel(p.kernel()))).append("</text>");
                lastKernel = p.kernel();
            }
        }
        return s.append("</svg>").toString();
    }

    private static String shortKernel(String k) {
        return k.length() > 22 ? k.substring(0, 22) + "…" : k;
    }

    private static double x(int i, int n) {
        double span = WIDTH - LEFT - RIGHT - 24;
        return LEFT + 12 + (n == 1 ? span / 2 : span * i / (n - 1));
    }

    private static double y(double v, double min, double max) {
        return TOP + (HEIGHT - TOP - BOTTOM) * (1 - (v - min) / (max - min));
    }

    static String figure(double v) {
        if (!Double.isFinite(v)) {
            return "–";
        }
        if (Math.abs(v) >= 1e6) {
            return String.format(Locale.ROOT, "%.3gM", v / 1e6);
        }
        if (Math.abs(v) >= 100 || v == Math.rint(v)) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        return String.format(Locale.ROOT, "%.3g", v);
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    /** A link from the page at {@code page} to {@code target}: relative where both are local paths. */
    static String relative(Path page, String target) {
        try {
            Path t = Path.of(target).toAbsolutePath().normalize();
            Path from = page.toAbsolutePath().normalize().getParent();
            return from.relativize(t).toString();
        } catch (RuntimeException e) {
            return target;
        }
    }
}
