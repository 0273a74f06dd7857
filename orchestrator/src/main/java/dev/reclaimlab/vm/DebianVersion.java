package dev.reclaimlab.vm;

import java.util.Comparator;

/**
 * Debian's version order ({@code deb-version(7)}), as dpkg compares: epoch first, then the upstream version, then the
 * Debian revision; in each, runs of non-digits compare with letters before non-letters and {@code ~} before anything,
 * even the end, and runs of digits compare as numbers. Candidate kernels are sorted by it, so that 6.1.164-1 comes
 * before 6.1.170-1 and 6.12.57-1~bpo12+1 before 6.12.57-1.
 */
public final class DebianVersion {
    /** Oldest first. */
    public static final Comparator<String> ORDER = DebianVersion::compare;

    private DebianVersion() {}

    public static int compare(String a, String b) {
        Parts x = Parts.of(a);
        Parts y = Parts.of(b);
        int c = Long.compare(x.epoch, y.epoch);
        if (c == 0) {
            c = compareFragment(x.upstream, y.upstream);
        }
        return c != 0 ? c : compareFragment(x.revision, y.revision);
    }

    private record Parts(long epoch, String upstream, String revision) {
        static Parts of(String version) {
            String v = version.strip();
            long epoch = 0;
            int colon = v.indexOf(':');
            if (colon > 0 && v.substring(0, colon).chars().allMatch(Character::isDigit)) {
                epoch = Long.parseLong(v.substring(0, colon));
                v = v.substring(colon + 1);
            }
            int dash = v.lastIndexOf('-');
            return dash < 0 ? new Parts(epoch, v, "") : new Parts(epoch, v.substring(0, dash), v.substring(dash + 1));
        }
    }

    /** dpkg's verrevcmp: alternating non-digit and digit runs. */
    private static int compareFragment(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() || j < b.length()) {
            int firstDiff = 0;
            while ((i < a.length() && !Character.isDigit(a.charAt(i))) || (j < b.length() && !Character.isDigit(b.charAt(j)))) {
                int ac = i < a.length() ? order(a.charAt(i)) : 0;
                int bc = j < b.length() ? order(b.charAt(j)) : 0;
                if (ac != bc) {
                    return Integer.compare(ac, bc);
                }
                i++;
                j++;
            }
            while (i < a.length() && a.charAt(i) == '0') {
                i++;
            }
            while (j < b.length() && b.charAt(j) == '0') {
                j++;
            }
            while (i < a.length() && Character.isDigit(a.charAt(i)) && j < b.length() && Character.isDigit(b.charAt(j))) {
                if (firstDiff == 0) {
                    firstDiff = a.charAt(i) - b.charAt(j);
                }
                i++;
                j++;
            }
            if (i < a.length() && Character.isDigit(a.charAt(i))) {
                return 1;
            }
            if (j < b.length() && Character.isDigit(b.charAt(j))) {
                return -1;
            }
            if (firstDiff != 0) {
                return Integer.signum(firstDiff);
            }
        }
        return 0;
    }

    /** A character's weight: '~' below the end of the string, letters below other characters. */
    private static int order(char c) {
        if (Character.isDigit(c)) {
            return 0;
        }
        if (Character.isLetter(c)) {
            return c;
        }
        if (c == '~') {
            return -1;
        }
        return c + 256;
    }
}
