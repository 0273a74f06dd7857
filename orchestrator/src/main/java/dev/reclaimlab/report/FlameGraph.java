package dev.reclaimlab.report;

import dev.reclaimlab.profile.FoldedStacks;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A flame graph of collapsed stacks as self-contained SVG: the outermost frame at the bottom, each frame as wide as
 * its share of the samples, a frame's callees on top of it. Hovering a frame shows its function, samples and share
 * (an SVG title); clicking zooms into it and searching highlights matches (the report's script, which reads the
 * frames' {@code data-*} positions). Against a baseline it is a differential flame graph: the frames of this side,
 * coloured by how their share changed (red grew, blue shrank, white the same).
 */
final class FlameGraph {
    static final int WIDTH = 1200;
    static final int ROW = 17;
    private static final int TOP = 24;
    /** Frames under this share of the samples are not drawn: narrower than a pixel. */
    private static final double MIN_SHARE = 0.0008;
    /** Stacks deeper than this are cut (the kernel's unwinder stops at 127 frames). */
    private static final int MAX_DEPTH = 160;
    /** A change of this many points of share is drawn at full colour in a differential graph. */
    private static final double FULL_COLOUR_POINTS = 5;
    private static final double CHAR_WIDTH = 6.6;

    private FlameGraph() {}

    /** A frame of the merged stacks: one function at one place in the call tree. */
    private static final class Frame {
        final String name;
        long samples;
        final Map<String, Frame> callees = new LinkedHashMap<>();

        Frame(String name) {
            this.name = name;
        }

        Frame callee(String name) {
            return callees.computeIfAbsent(name, Frame::new);
        }
    }

    static String svg(String title, FoldedStacks stacks) {
        return svg(title, stacks, Optional.empty());
    }

    /** @param baseline where given, the graph is differential: coloured by the change of each frame's share */
    static String svg(String title, FoldedStacks stacks, Optional<FoldedStacks> baseline) {
        Frame root = tree(stacks);
        Optional<Frame> base = baseline.map(FlameGraph::tree);
        int deepest = deepest(root, root.samples, 0);
        int height = TOP + (deepest + 1) * ROW + 4;
        StringBuilder svg = new StringBuilder(4096);
        svg.append(String.format(Locale.ROOT, "<svg class=\"flame%s\" xmlns=\"http://www.w3.org/2000/svg\" "
                        + "viewBox=\"0 0 %d %d\" width=\"100%%\" data-samples=\"%d\" role=\"img\">",
                base.isPresent() ? " diff" : "", WIDTH, height, root.samples));
        svg.append("<text class=\"title\" x=\"4\" y=\"15\">").append(Svg.escape(title)).append("</text>");
        svg.append("<text class=\"matched\" x=\"").append(WIDTH - 4).append("\" y=\"15\" text-anchor=\"end\"></text>");
        new Drawing(svg, root.samples, base.map(b -> b.samples).orElse(0L), base.isPresent(), deepest)
                .draw(root, base.orElse(null), 0, 0);
        return svg.append("</svg>").toString();
    }

    private static Frame tree(FoldedStacks stacks) {
        Frame root = new Frame("all");
        for (Map.Entry<String, Long> e : stacks.entries()) {
            long n = e.getValue();
            root.samples += n;
            Frame at = root;
            int depth = 0;
            for (String name : e.getKey().split(";")) {
                if (++depth > MAX_DEPTH) {
                    break;
                }
                at = at.callee(name);
                at.samples += n;
            }
        }
        return root;
    }

    private static boolean drawn(Frame frame, long total) {
        return total > 0 && (double) frame.samples / total >= MIN_SHARE;
    }

    /** The deepest row a drawn frame lands on. */
    private static int deepest(Frame frame, long total, int depth) {
        int deepest = depth;
        for (Frame callee : frame.callees.values()) {
            if (drawn(callee, total)) {
                deepest = Math.max(deepest, deepest(callee, total, depth + 1));
            }
        }
        return deepest;
    }

    /** One graph being drawn: the outermost frame on the lowest row, callees above. */
    private record Drawing(StringBuilder svg, long total, long baseTotal, boolean differential, int deepest) {

        /** {@code base}: the same place in the baseline's tree, null where the baseline never was. */
        void draw(Frame frame, Frame base, int depth, long offset) {
            double x = (double) offset / total;
            double w = (double) frame.samples / total;
            double share = 100.0 * frame.samples / total;
            String fill;
            String change = "";
            if (differential) {
                double before = base == null || baseTotal == 0 ? 0 : 100.0 * base.samples / baseTotal;
                double points = share - before;
                fill = diffColour(points);
                change = String.format(Locale.ROOT, ", %s%.1f points against the baseline (%.1f%%)",
                        points >= 0 ? "+" : "", points, before);
            } else {
                fill = colour(frame.name);
            }
            double px = x * WIDTH;
            double pw = Math.max(w * WIDTH, 0.5);
            double top = TOP + (double) (deepest - depth) * ROW;
            svg.append(String.format(Locale.ROOT, "<g class=\"f\" data-n=\"%s\" data-x=\"%.6f\" data-w=\"%.6f\" data-d=\"%d\">"
                            + "<title>%s — %,d samples, %.2f%%%s</title>"
                            + "<rect x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" height=\"%d\" fill=\"%s\" rx=\"1\"/>"
                            + "<text x=\"%.2f\" y=\"%.1f\">%s</text></g>",
                    Svg.escape(frame.name), x, w, depth, Svg.escape(frame.name), frame.samples, share, change, px, top, pw, ROW - 1, fill,
                    px + 3, top + ROW - 5, Svg.escape(label(frame.name, pw))));
            long at = offset;
            for (Frame callee : frame.callees.values()) {
                if (drawn(callee, total)) {
                    draw(callee, base == null ? null : base.callees.get(callee.name), depth + 1, at);
                }
                at += callee.samples;
            }
        }
    }

    /** The name as it fits in {@code pixels}, cut with two dots; empty when not even three letters fit. */
    static String label(String name, double pixels) {
        int fits = (int) ((pixels - 6) / CHAR_WIDTH);
        if (fits >= name.length()) {
            return name;
        }
        return fits < 3 ? "" : name.substring(0, fits - 2) + "..";
    }

    /** Warm colours, stable per function name, so one function looks the same in every graph of a report. */
    static String colour(String name) {
        int h = name.hashCode();
        int r = 205 + Math.floorMod(h, 50);
        int g = Math.floorMod(h >>> 8, 180);
        int b = Math.floorMod(h >>> 16, 55);
        return String.format(Locale.ROOT, "rgb(%d,%d,%d)", r, g, b);
    }

    /** Red where the share grew, blue where it shrank, by how many points; white for no change. */
    static String diffColour(double points) {
        double k = Math.min(1, Math.abs(points) / FULL_COLOUR_POINTS);
        int fade = (int) Math.round(255 - 200 * k);
        return points >= 0 ? String.format(Locale.ROOT, "rgb(255,%d,%d)", fade, fade)
                : String.format(Locale.ROOT, "rgb(%d,%d,255)", fade, fade);
    }
}
