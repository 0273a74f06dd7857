package dev.reclaimlab.trace;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Names kernel text addresses the way {@code %pS} does, from a copy of {@code /proc/kallsyms}: the function whose start
 * is the nearest at or below the address. Binary records hold raw pointers (a shrinker's scan function) where the text
 * of {@code trace_pipe} printed {@code super_cache_scan+0x0/0x210}; naming them here gives the analysis the same name.
 *
 * <p>Only text symbols ({@code t}/{@code T}) are kept, as addresses and one pool of name bytes, and at most
 * {@link #MAX_SYMBOLS} of them: a kernel has about 200,000, a few MB. Lines that cannot be read are skipped; addresses
 * of 0 (what a reader without the right to see them gets) are left out, so such a copy names nothing.
 */
public final class Kallsyms {
    /** More than any kernel with all its modules has. */
    public static final int MAX_SYMBOLS = 4 << 20;
    private static final int MAX_LINE = 1024;

    private long[] addresses = new long[1024];
    private int[] nameStart = new int[1024];
    private byte[] names = new byte[16 << 10];
    private int size;
    private int pool;

    private Kallsyms() {}

    /** Names nothing: what a capture without kallsyms gets. */
    public static Kallsyms none() {
        return new Kallsyms();
    }

    /** Reads {@code address type name [module]} lines. */
    public static Kallsyms read(InputStream in) throws IOException {
        Kallsyms k = new Kallsyms();
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.ISO_8859_1), 1 << 16);
        String line;
        while ((line = reader.readLine()) != null && k.size < MAX_SYMBOLS) {
            if (line.length() <= MAX_LINE) {
                k.add(line);
            }
        }
        k.sort();
        return k;
    }

    public int size() {
        return size;
    }

    private void add(String line) {
        int s1 = line.indexOf(' ');
        if (s1 <= 0 || s1 > 16 || line.length() < s1 + 4 || line.charAt(s1 + 2) != ' ') {
            return;
        }
        char type = line.charAt(s1 + 1);
        if (type != 't' && type != 'T') {
            return;
        }
        long address;
        try {
            address = Long.parseUnsignedLong(line, 0, s1, 16);
        } catch (NumberFormatException e) {
            return;
        }
        int nameEnd = line.indexOf('\t', s1 + 3);
        int space = line.indexOf(' ', s1 + 3);
        nameEnd = nameEnd < 0 ? space : space < 0 ? nameEnd : Math.min(nameEnd, space);
        String name = line.substring(s1 + 3, nameEnd < 0 ? line.length() : nameEnd);
        if (address == 0 || name.isEmpty()) {
            return;
        }
        if (size == addresses.length) {
            addresses = Arrays.copyOf(addresses, size * 2);
            nameStart = Arrays.copyOf(nameStart, size * 2 + 1);
        }
        byte[] b = name.getBytes(StandardCharsets.ISO_8859_1);
        if (pool + b.length > names.length) {
            names = Arrays.copyOf(names, Math.max(names.length * 2, pool + b.length));
        }
        System.arraycopy(b, 0, names, pool, b.length);
        addresses[size] = address;
        nameStart[size] = pool;
        pool += b.length;
        size++;
    }

    /** Sorts by address (unsigned: kernel addresses have the top bit set), keeping each name with its address. */
    private void sort() {
        Integer[] order = new Integer[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Long.compareUnsigned(addresses[a], addresses[b]));
        long[] sortedAddresses = new long[size];
        int[] sortedStarts = new int[size + 1];
        byte[] sortedNames = new byte[pool];
        int at = 0;
        for (int i = 0; i < size; i++) {
            int from = nameStart[order[i]];
            int to = order[i] + 1 < size ? nameStart[order[i] + 1] : pool;
            sortedAddresses[i] = addresses[order[i]];
            sortedStarts[i] = at;
            System.arraycopy(names, from, sortedNames, at, to - from);
            at += to - from;
        }
        sortedStarts[size] = at;
        addresses = sortedAddresses;
        nameStart = sortedStarts;
        names = sortedNames;
    }

    /**
     * The name of the function at or just below {@code address}, as ISO-8859-1 bytes; {@code 0x<hex>} (what
     * {@code %pS} prints for an address it cannot name) when no symbol lies at or below it.
     */
    public byte[] name(long address) {
        int lo = 0;
        int hi = size - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (Long.compareUnsigned(addresses[mid], address) <= 0) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        if (found < 0) {
            return ("0x" + Long.toHexString(address)).getBytes(StandardCharsets.ISO_8859_1);
        }
        return Arrays.copyOfRange(names, nameStart[found], nameStart[found + 1]);
    }
}
