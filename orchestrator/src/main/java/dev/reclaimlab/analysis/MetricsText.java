package dev.reclaimlab.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@link TraceMetrics} for a terminal: the summary of {@code lab analyze}, and the per-CPU-second table. */
public final class MetricsText {
    private static final int SHOWN_SHRINKERS = 8;
    private static final int SHOWN_COMMS = 5;

    private MetricsText() {}

    public static String summary(String name, TraceMetrics m) {
        StringBuilder out = new StringBuilder();
        out.append(name).append(": ").append(n(m.lines())).append(" lines, ").append(n(m.events())).append(" events");
        if (m.firstTs() != null && m.lastTs() >= m.firstTs()) {
            out.append(String.format(Locale.ROOT, ", %.6f to %.6f s (%s)", m.firstTs(), m.lastTs(),
                    duration((m.lastTs() - m.firstTs()) * 1e6)));
        }
        out.append('\n');
        out.append("  skipped lines ").append(n(m.skippedLines())).append(", lost events ").append(n(m.lostEvents()));
        out.append(m.formats().isEmpty() ? ", fields: built-in layout\n"
                : ", fields from format files of " + m.formats().size() + " events\n");
        for (TraceMetrics.SkippedLine s : m.skippedSamples()) {
            out.append("    line ").append(s.line()).append(": ").append(s.text()).append('\n');
        }
        malformed(out, m.malformed());
        lost(out, m);
        capture(out, m.capture());
        dropped(out, m.dropped());
        if (m.skippedFormatFiles() > 0) {
            out.append("  format files left out ").append(n(m.skippedFormatFiles()))
                    .append(" (their events read with the built-in layout)\n");
            for (TraceMetrics.SkippedFormat f : m.skippedFormatSamples()) {
                out.append("    ").append(f.file()).append(": ").append(f.reason()).append('\n');
            }
        }
        reclaim(out, "memcg reclaim", m.memcgReclaim());
        reclaim(out, "direct reclaim", m.directReclaim());
        shrinkSlab(out, m.shrinkSlab());
        lru(out, m.lruShrinkInactive());
        comms(out, m.byComm());
        return out.toString();
    }

    /** Lost events, when there were any: never silent, with the pairs they broke and what they make wrong. */
    private static void lost(StringBuilder out, TraceMetrics m) {
        TraceMetrics.Lost lost = m.lost();
        if (lost == null || lost.records() == 0) {
            return;
        }
        out.append("  LOST EVENTS: ").append(n(lost.events())).append(lost.unknownRecords() > 0 ? "+" : "")
                .append(" in ").append(n(lost.records())).append(" records");
        if (lost.unknownRecords() > 0) {
            out.append(" (").append(n(lost.unknownRecords())).append(" without a count)");
        }
        out.append(" on CPU ").append(String.join(", ", lost.byCpu().keySet())).append('\n');
        out.append("    pairs broken by a loss (not measured): memcg ").append(n(m.memcgReclaim().broken()))
                .append(", direct ").append(n(m.directReclaim().broken())).append(", shrink_slab ")
                .append(n(m.shrinkSlab().broken())).append('\n');
        out.append("    can be wrong: ").append(String.join(", ", m.falsifiedByLoss())).append('\n');
    }

    /** A binary capture: how much was decoded, and any damage. */
    private static void capture(StringBuilder out, TraceMetrics.Capture c) {
        if (c == null) {
            return;
        }
        out.append("  binary capture: ").append(n(c.cpus())).append(" CPUs, ").append(n(c.pages())).append(" pages, ")
                .append(n(c.records())).append(" records\n");
        List<String> parts = new ArrayList<>();
        damage(parts, c.truncatedPages(), "truncated pages");
        damage(parts, c.badCommitPages(), "pages with an impossible commit");
        damage(parts, c.badEvents(), "impossible events (rest of page skipped)");
        damage(parts, c.unknownEventIds(), "records of an event without format");
        damage(parts, c.shortRecords(), "records too short");
        if (!parts.isEmpty()) {
            out.append("    damaged, skipped: ").append(String.join(", ", parts)).append('\n');
        }
    }

    private static void damage(List<String> parts, long n, String what) {
        if (n > 0) {
            parts.add(n(n) + " " + what);
        }
    }

    /** Values that cannot be real, when there were any: the reader must know figures left them out. */
    private static void malformed(StringBuilder out, TraceMetrics.Malformed m) {
        List<String> parts = new ArrayList<>();
        count(parts, m.negativeValues(), "with a negative count");
        count(parts, m.implausibleValues(), "with an implausible count or name");
        count(parts, m.implausibleLostCounts(), "with a wrapped lost-events count");
        count(parts, m.noSuchCpu(), "on a CPU no kernel has");
        count(parts, m.backwardsTimestamps(), "earlier than the line before on their CPU");
        if (!parts.isEmpty()) {
            out.append("  malformed, skipped and not summed: ").append(String.join(", ", parts)).append('\n');
        }
        if (m.overflowedTotals() > 0) {
            out.append("  ").append(n(m.overflowedTotals()))
                    .append(" totals overflowed and stopped at 2^63-1: they are lower bounds\n");
        }
    }

    /** What did not fit the tables, when anything did: those figures are incomplete. */
    private static void dropped(StringBuilder out, TraceMetrics.Dropped d) {
        List<String> parts = new ArrayList<>();
        if (d.openTasks() > 0) {
            parts.add(n(d.openTasks()) + " begins not paired (too many tasks with one open)");
        }
        if (d.comms() > 0) {
            parts.add(n(d.comms()) + " events under task (other)");
        }
        if (d.shrinkers() > 0) {
            parts.add(n(d.shrinkers()) + " shrink_slab ends under shrinker (other)");
        }
        if (d.eventNames() > 0) {
            parts.add(n(d.eventNames()) + " events under event name (other)");
        }
        if (d.cpuSeconds() > 0) {
            parts.add(n(d.cpuSeconds()) + " memcg reclaims left out of the per-CPU-second table");
        }
        if (d.priorities() > 0) {
            parts.add(n(d.priorities()) + " lru_shrink_inactive events left out of the priorities");
        }
        if (!parts.isEmpty()) {
            out.append("  incomplete, tables full: ").append(String.join(", ", parts)).append('\n');
        }
    }

    private static void count(List<String> parts, long n, String what) {
        if (n > 0) {
            parts.add(n(n) + (n == 1 ? " line " : " lines ") + what);
        }
    }

    private static void reclaim(StringBuilder out, String title, TraceMetrics.Reclaim r) {
        out.append(String.format(Locale.ROOT, "%-26s", title));
        if (r.begins() == 0 && r.ends() == 0) {
            out.append("none\n");
            return;
        }
        out.append(n(r.count())).append(" pairs, ").append(n(r.unpaired())).append(" unpaired\n");
        latency(out, r.latencyUs());
        TraceMetrics.NrReclaimed nr = r.nrReclaimed();
        if (nr.count() > 0) {
            out.append(String.format(Locale.ROOT, "  %-24s mean %.1f pages, < 32 pages: %s of %s (%s), 0 pages: %s%n",
                    "nr_reclaimed", nr.mean(), n(nr.lt32()), n(nr.count()), percent(nr.lt32(), nr.count()),
                    n(nr.counts()[0])));
        }
    }

    private static void latency(StringBuilder out, TraceMetrics.Latency l) {
        if (l != null) {
            out.append(String.format(Locale.ROOT, "  %-24s p50 %s, p90 %s, p99 %s, max %s, mean %s, total %s%n",
                    "latency", duration(l.p50()), duration(l.p90()), duration(l.p99()), duration(l.max()),
                    duration(l.mean()), duration(l.total())));
        }
    }

    private static void shrinkSlab(StringBuilder out, TraceMetrics.ShrinkSlab s) {
        out.append(String.format(Locale.ROOT, "%-26s", "shrink_slab"));
        if (s.starts() == 0 && s.ends() == 0) {
            out.append("none\n");
            return;
        }
        out.append(n(s.count())).append(" pairs, ").append(n(s.unpaired())).append(" unpaired, total ")
                .append(duration(s.totalUs())).append(", ").append(n(s.freedObjects())).append(" objects freed\n");
        latency(out, s.latencyUs());
        if (s.shareOfMemcgReclaim() != null) {
            out.append(String.format(Locale.ROOT, "  %-24s %s of memcg reclaim time (%s)%n", "share",
                    percent(s.shareOfMemcgReclaim()), duration(s.insideMemcgReclaimUs())));
        }
        if (s.shareOfDirectReclaim() != null) {
            out.append(String.format(Locale.ROOT, "  %-24s %s of direct reclaim time (%s)%n", "",
                    percent(s.shareOfDirectReclaim()), duration(s.insideDirectReclaimUs())));
        }
        List<Map.Entry<String, TraceMetrics.Shrinker>> shrinkers = new ArrayList<>(s.shrinkers().entrySet());
        shrinkers.sort((a, b) -> Double.compare(b.getValue().totalUs(), a.getValue().totalUs()));
        for (int i = 0; i < shrinkers.size() && i < SHOWN_SHRINKERS; i++) {
            TraceMetrics.Shrinker x = shrinkers.get(i).getValue();
            out.append(String.format(Locale.ROOT, "  %-24s %s calls, total %s%s, %s objects freed%n",
                    shrinkers.get(i).getKey(), n(x.count()), duration(x.totalUs()),
                    x.latencyUs() == null ? "" : ", p99 " + duration(x.latencyUs().p99()), n(x.freedObjects())));
        }
        if (shrinkers.size() > SHOWN_SHRINKERS) {
            out.append("  ... ").append(shrinkers.size() - SHOWN_SHRINKERS).append(" more shrinkers in --json\n");
        }
    }

    private static void lru(StringBuilder out, TraceMetrics.LruShrinkInactive l) {
        out.append(String.format(Locale.ROOT, "%-26s", "lru_shrink_inactive"));
        if (l.events() == 0) {
            out.append("none\n");
            return;
        }
        out.append(n(l.events())).append(" events: ANON ").append(n(l.anonEvents())).append(", FILE ")
                .append(n(l.fileEvents()));
        if (l.otherEvents() > 0) {
            out.append(", other ").append(n(l.otherEvents()));
        }
        out.append('\n');
        out.append(String.format(Locale.ROOT, "  %-24s ANON %s of %s, FILE %s of %s pages (efficiency %s, %s)%n",
                "reclaimed", n(l.anon().nrReclaimed()), n(l.anon().nrScanned()), n(l.file().nrReclaimed()),
                n(l.file().nrScanned()), percent(l.anon().reclaimEfficiency()), percent(l.file().reclaimEfficiency())));
        StringBuilder p = new StringBuilder();
        l.priority().forEach((k, v) -> p.append(p.length() == 0 ? "" : ", ").append(k).append(": ").append(n(v)));
        out.append(String.format(Locale.ROOT, "  %-24s %s%n", "priority", p));
    }

    private static void comms(StringBuilder out, Map<String, TraceMetrics.Comm> comms) {
        if (comms.isEmpty()) {
            return;
        }
        out.append("tasks (by events)\n");
        int shown = 0;
        for (Map.Entry<String, TraceMetrics.Comm> e : comms.entrySet()) {
            if (shown++ == SHOWN_COMMS) {
                out.append("  ... ").append(comms.size() - SHOWN_COMMS).append(" more tasks in --json\n");
                break;
            }
            TraceMetrics.Comm c = e.getValue();
            out.append(String.format(Locale.ROOT, "  %-24s %s events", e.getKey(), n(c.events())));
            if (c.memcgReclaims() > 0) {
                out.append(", memcg reclaim ").append(n(c.memcgReclaims())).append(" (")
                        .append(duration(c.memcgReclaimUs())).append(')');
            }
            if (c.directReclaims() > 0) {
                out.append(", direct reclaim ").append(n(c.directReclaims())).append(" (")
                        .append(duration(c.directReclaimUs())).append(')');
            }
            if (c.shrinkSlabCalls() > 0) {
                out.append(", shrink_slab ").append(n(c.shrinkSlabCalls())).append(" (")
                        .append(duration(c.shrinkSlabUs())).append(')');
            }
            out.append('\n');
        }
    }

    /**
     * Seed 000 §6's table, for every CPU and second: memcg reclaims that ended, the average pages each freed, how
     * many freed fewer than 32, and how many freed each number of pages.
     */
    public static String perCpuSeconds(TraceMetrics m) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%4s %12s %9s %9s %6s  %s%n", "cpu", "second", "reclaims",
                "avg_nr", "<32", "reclaims by nr_reclaimed (pages:count)"));
        for (TraceMetrics.CpuSecond row : m.perCpuSeconds()) {
            StringBuilder counts = new StringBuilder();
            for (int i = 0; i < 32; i++) {
                if (row.counts()[i] > 0) {
                    counts.append(i).append(':').append(row.counts()[i]).append(' ');
                }
            }
            if (row.ge32() > 0) {
                counts.append(">=32:").append(row.ge32());
            }
            out.append(String.format(Locale.ROOT, "%4d %12d %9d %9.2f %6d  %s%n", row.cpu(), row.second(),
                    row.reclaims(), row.avgNrReclaimed(), row.lt32(), counts.toString().strip()));
        }
        return out.toString();
    }

    /** 950 µs, 12.3 ms, 1.53 s. */
    static String duration(double us) {
        if (us < 10 && us != Math.rint(us)) {
            return String.format(Locale.ROOT, "%.1f µs", us);
        }
        if (us < 1000) {
            return String.format(Locale.ROOT, "%.0f µs", us);
        }
        if (us < 1_000_000) {
            return String.format(Locale.ROOT, "%.3g ms", us / 1000);
        }
        return String.format(Locale.ROOT, "%.3g s", us / 1_000_000);
    }

    private static String n(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }

    private static String percent(long part, long whole) {
        return whole == 0 ? "-" : percent(part / (double) whole);
    }

    private static String percent(Double share) {
        return share == null ? "-" : String.format(Locale.ROOT, "%.1f%%", share * 100);
    }
}
