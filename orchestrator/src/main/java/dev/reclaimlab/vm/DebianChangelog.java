package dev.reclaimlab.vm;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Debian changelog ({@code debian/changelog}, as {@code changelog.Debian.gz} in every package) cut into its entries,
 * so that a bisect can show what changed between the last good and the first bad build. A kernel image package's
 * changelog is its source's: the signed images carry linux's entries under their own signing entry.
 */
public final class DebianChangelog {
    /** {@code linux (6.1.192-2) bookworm-security; urgency=high} */
    private static final Pattern HEADER = Pattern.compile("^([a-z0-9][a-z0-9+.-]*) \\(([^)\\s]+)\\) .*;.*$");

    /** One entry: the source and version it is for, and its whole text (header to trailer line). */
    public record Entry(String source, String version, String text) {}

    private DebianChangelog() {}

    public static List<Entry> entries(String changelog) {
        List<Entry> out = new ArrayList<>();
        String source = null;
        String version = null;
        StringBuilder text = new StringBuilder();
        for (String line : changelog.split("\n", -1)) {
            Matcher m = HEADER.matcher(line);
            if (m.matches()) {
                if (source != null) {
                    out.add(new Entry(source, version, text.toString().strip()));
                }
                source = m.group(1);
                version = m.group(2);
                text.setLength(0);
            }
            if (source != null) {
                text.append(line).append('\n');
            }
        }
        if (source != null) {
            out.add(new Entry(source, version, text.toString().strip()));
        }
        return out;
    }

    /**
     * The entries of the build {@code newer} that came after {@code older}: those with a version above it, from the top
     * down to the first that is not (the top entry always: it is the package's own, e.g. its signing).
     */
    public static List<Entry> since(List<Entry> newer, String older) {
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < newer.size(); i++) {
            Entry e = newer.get(i);
            if (i > 0 && DebianVersion.compare(e.version(), older) <= 0) {
                break;
            }
            out.add(e);
        }
        return out;
    }
}
