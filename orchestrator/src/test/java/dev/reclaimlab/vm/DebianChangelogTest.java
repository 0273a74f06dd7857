package dev.reclaimlab.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class DebianChangelogTest {
    /** The shape of a signed image's changelog: its own signing entry on top of the source's entries. */
    private static final String SIGNED = """
            linux-signed-arm64 (6.1.192+3) bookworm-security; urgency=high

              * Sign kernel from linux 6.1.192-3

             -- A Maintainer <a@example.org>  Thu, 26 Nov 2026 18:12:56 +0100

            linux (6.1.192-2) bookworm-security; urgency=high

              * mm: a fix in memcg reclaim

             -- A Maintainer <a@example.org>  Mon, 16 Nov 2026 11:17:40 +0100

            linux (6.1.192-1) bookworm-security; urgency=high

              * New upstream stable update
                - mm/vmscan: something about shrink_slab

             -- A Maintainer <a@example.org>  Sun, 15 Nov 2026 10:00:00 +0100

            linux (6.1.187-1) bookworm-security; urgency=high

              * New upstream stable update

             -- A Maintainer <a@example.org>  Sun, 01 Nov 2026 10:00:00 +0100
            """;

    @Test
    void entriesAreCutAtTheirHeaders() {
        List<DebianChangelog.Entry> entries = DebianChangelog.entries(SIGNED);
        assertEquals(List.of("6.1.192+3", "6.1.192-2", "6.1.192-1", "6.1.187-1"),
                entries.stream().map(DebianChangelog.Entry::version).toList());
        assertEquals("linux-signed-arm64", entries.get(0).source());
        assertTrue(entries.get(2).text().contains("- mm/vmscan: something about shrink_slab"));
        assertTrue(entries.get(2).text().endsWith("+0100"), entries.get(2).text());
    }

    @Test
    void whatCameAfterTheLastGoodBuild() {
        List<DebianChangelog.Entry> since = DebianChangelog.since(DebianChangelog.entries(SIGNED), "6.1.187-1");
        assertEquals(List.of("6.1.192+3", "6.1.192-2", "6.1.192-1"),
                since.stream().map(DebianChangelog.Entry::version).toList());
        // the top entry is the package's own even when its version says less than the last good (a signing entry)
        assertEquals(1, DebianChangelog.since(DebianChangelog.entries(SIGNED), "6.1.192-3").size());
    }
}
