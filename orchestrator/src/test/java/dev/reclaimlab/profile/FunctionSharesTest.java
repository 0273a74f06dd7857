package dev.reclaimlab.profile;

import dev.reclaimlab.trace.Kallsyms;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FunctionSharesTest {

    @Test
    void aFunctionCountsOncePerStackAndSharesSplitIdleUserAndSystem() {
        FoldedStacks stacks = new FoldedStacks();
        stacks.add("dd;vfs_write;try_charge;try_to_free_mem_cgroup_pages;shrink_node;shrink_slab", 30);
        // recursion: shrink_node twice on one stack still counts its samples once
        stacks.add("dd;vfs_write;try_charge;try_to_free_mem_cgroup_pages;shrink_node;shrink_node;shrink_lruvec", 10);
        stacks.add("dd;vfs_write;copy_page", 20);
        stacks.add("dd;[user]", 15);
        stacks.add("swapper;do_idle;default_idle", 25);
        FunctionShares shares = FunctionShares.of(stacks);
        assertEquals(100, shares.samples());
        assertEquals(25, shares.idle());
        assertEquals(15, shares.user());
        assertEquals(60, shares.system());
        FunctionShares.Function reclaim = shares.function("try_to_free_mem_cgroup_pages").orElseThrow();
        assertEquals(40, reclaim.inclusive());
        assertEquals(0.40, reclaim.shareOfAll(shares.samples()), 1e-9);
        assertEquals(40.0 / 60, reclaim.shareOfSystem(shares.system()), 1e-9);
        assertEquals(40, shares.function("shrink_node").orElseThrow().inclusive());
        assertEquals(30, shares.function("shrink_slab").orElseThrow().self());
        FunctionShares.Function idle = shares.function("default_idle").orElseThrow();
        assertEquals(25, idle.inclusive());
        assertEquals(0, idle.inclusiveSystem(), "idle time is not system time");
        assertEquals("vfs_write", shares.functions().get(0).name(), "most inclusive first");
    }

    @Test
    void foldedStacksSurviveAWriteAndARead() throws IOException {
        FoldedStacks stacks = new FoldedStacks();
        stacks.add("kworker/u8:3 flush;worker_thread;wb_workfn", 7);
        stacks.add("dd;vfs_write", 3);
        StringWriter out = new StringWriter();
        stacks.write(out);
        assertEquals("dd;vfs_write 3\nkworker/u8:3 flush;worker_thread;wb_workfn 7\n", out.toString());
        long[] malformed = {0};
        FoldedStacks back = FoldedStacks.read(new BufferedReader(new StringReader(out + "no count here\nx -4\n")),
                malformed);
        assertEquals(10, back.total());
        assertEquals(2, malformed[0]);
    }

    @Test
    void stacksAreNamedRootFirstWithReturnAddressesLookedUpJustBefore() throws IOException {
        Kallsyms symbols = Kallsyms.read(new ByteArrayInputStream("""
                ffffffff81000000 T do_idle
                ffffffff81000100 T default_idle
                ffffffff81000200 t next_after_a_noreturn_call
                """.getBytes(StandardCharsets.ISO_8859_1)));
        StackFolder folder = new StackFolder(symbols);
        // the leaf lies in default_idle; the return address into do_idle is default_idle's first byte, because do_idle
        // ended with the call: named by itself, it would say default_idle twice
        Sample s = new Sample(0, 0, 0, 1, false, new long[] {0xffffffff81000110L, 0xffffffff81000100L}, "swapper");
        assertEquals("swapper;do_idle;default_idle", folder.fold(s));
        assertEquals("a_b;[user]", folder.fold(new Sample(0, 5, 5, 1, true, new long[0], " a;b ")),
                "a separator in a task's name would make two frames of it");
    }
}
