package dev.reclaimlab.report;

import dev.reclaimlab.profile.FoldedStacks;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FlameGraphTest {
    private static final Pattern FRAME = Pattern.compile("<g class=\"f\" data-n=\"([^\"]*)\" data-x=\"([0-9.]+)\" "
            + "data-w=\"([0-9.]+)\" data-d=\"(\\d+)\"><title>([^<]*)</title><rect x=\"[0-9.]+\" y=\"([0-9.]+)\" "
            + "width=\"[0-9.]+\" height=\"\\d+\" fill=\"([^\"]+)\"");

    record Drawn(String name, double x, double w, int depth, String title, double y, String fill) {}

    static List<Drawn> frames(String svg) {
        List<Drawn> frames = new ArrayList<>();
        Matcher m = FRAME.matcher(svg);
        while (m.find()) {
            frames.add(new Drawn(m.group(1), Double.parseDouble(m.group(2)), Double.parseDouble(m.group(3)),
                    Integer.parseInt(m.group(4)), m.group(5), Double.parseDouble(m.group(6)), m.group(7)));
        }
        return frames;
    }

    private static FoldedStacks stacks(Object... stackAndCount) {
        FoldedStacks s = new FoldedStacks();
        for (int i = 0; i < stackAndCount.length; i += 2) {
            s.add((String) stackAndCount[i], ((Number) stackAndCount[i + 1]).longValue());
        }
        return s;
    }

    @Test
    void framesAreAsWideAsTheirSamplesWithCalleesAboveCallers() {
        String svg = FlameGraph.svg("t", stacks("dd;vfs_write;shrink_slab", 30, "dd;vfs_write", 10,
                "swapper;do_idle", 60));
        List<Drawn> frames = frames(svg);
        assertEquals(List.of("all", "dd", "vfs_write", "shrink_slab", "swapper", "do_idle"),
                frames.stream().map(Drawn::name).toList());
        Drawn all = frames.get(0);
        Drawn dd = frames.get(1);
        Drawn slab = frames.get(3);
        Drawn swapper = frames.get(4);
        assertEquals(1.0, all.w(), 1e-9);
        assertEquals(0.4, dd.w(), 1e-9);
        assertEquals(0.3, slab.w(), 1e-9);
        assertEquals(0.4, swapper.x(), 1e-9, "siblings side by side");
        assertTrue(all.y() > dd.y() && dd.y() > slab.y(), "the outermost frame is lowest");
        assertTrue(slab.title().startsWith("shrink_slab — 30 samples, 30.00%"), slab.title());
    }

    @Test
    void aDifferentialGraphColoursFramesByTheChangeOfTheirShare() {
        FoldedStacks before = stacks("dd;shrink_node;shrink_slab", 50, "dd;shrink_node", 50);
        FoldedStacks after = stacks("dd;shrink_node;shrink_slab", 5, "dd;shrink_node", 95);
        List<Drawn> frames = frames(FlameGraph.svg("d", after, Optional.of(before)));
        Drawn slab = frames.stream().filter(f -> f.name().equals("shrink_slab")).findFirst().orElseThrow();
        Drawn node = frames.stream().filter(f -> f.name().equals("shrink_node")).findFirst().orElseThrow();
        assertTrue(slab.title().contains("-45.0 points against the baseline (50.0%)"), slab.title());
        assertEquals("rgb(55,55,255)", slab.fill(), "shrank: full blue");
        assertEquals("rgb(255,255,255)", node.fill(), "the same share: white");
        assertTrue(FlameGraph.svg("d", after, Optional.of(before)).startsWith("<svg class=\"flame diff\""));
    }

    @Test
    void namesAreEscapedAndCutToTheirFrame() {
        String svg = FlameGraph.svg("<t>", stacks("a<b>\"c\";x", 1));
        assertTrue(svg.contains("data-n=\"a&lt;b&gt;&quot;c&quot;\""), svg);
        assertTrue(svg.contains("&lt;t&gt;"));
        assertEquals("shrink_..", FlameGraph.label("shrink_slab_memcg", 6 + 9 * 6.6));
        assertEquals("", FlameGraph.label("shrink_slab", 20));
    }

    @Test
    void framesNarrowerThanAPixelAreNotDrawn() {
        List<Drawn> frames = frames(FlameGraph.svg("t", stacks("a;b", 100_000, "a;tiny", 1)));
        assertEquals(List.of("all", "a", "b"), frames.stream().map(Drawn::name).toList());
    }
}
