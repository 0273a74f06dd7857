package dev.reclaimlab.profile;

import dev.reclaimlab.trace.Kallsyms;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Turns a sample into its folded stack: the task's name, then the kernel's frames from the outermost to the leaf,
 * named from the same boot's kallsyms. A return address (every frame but the leaf) is named at the address before
 * it: a call that never returns is often the last instruction of its function, and its return address the first of
 * the next function.
 */
public final class StackFolder {
    private static final int MAX_CACHED = 1 << 20;
    private final Kallsyms symbols;
    private final Map<Long, String> names = new HashMap<>();

    public StackFolder(Kallsyms symbols) {
        this.symbols = symbols;
    }

    public String fold(Sample s) {
        StringBuilder b = new StringBuilder(64 + 24 * s.depth()).append(task(s.comm()));
        if (s.user()) {
            return b.append(';').append(FoldedStacks.USER).toString();
        }
        for (int i = s.depth() - 1; i >= 0; i--) {
            long address = s.address(i);
            b.append(';').append(name(i == 0 ? address : address - 1));
        }
        return b.toString();
    }

    private String name(long address) {
        String name = names.get(address);
        if (name == null) {
            name = new String(symbols.name(address), StandardCharsets.ISO_8859_1);
            if (names.size() < MAX_CACHED) {
                names.put(address, name);
            }
        }
        return name;
    }

    /** A task's name as a frame: no separator in it, and never empty. */
    static String task(String comm) {
        String t = comm.strip().replace(';', '_');
        return t.isEmpty() ? "-" : t;
    }
}
