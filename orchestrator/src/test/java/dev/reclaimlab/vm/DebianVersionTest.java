package dev.reclaimlab.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DebianVersionTest {
    @Test
    void ordersAsDpkgDoes() {
        // each pair checked with dpkg --compare-versions A lt B on Debian 12
        String[][] ascending = {
                {"6.1.164-1", "6.1.170-3"}, {"6.1.9-1", "6.1.10-1"}, {"6.12.57-1~bpo12+1", "6.12.57-1"},
                {"1.0~rc1", "1.0"}, {"1.0", "1.0a"}, {"1.0a", "1.0+"}, {"2:0.1", "3:0.0"}, {"1:9", "2:1"},
                {"1.0-1", "1.0-1.1"}, {"0.9", "1:0.1"}, {"6.1.0", "6.1.00.1"},
        };
        for (String[] pair : ascending) {
            assertEquals(-1, Integer.signum(DebianVersion.compare(pair[0], pair[1])), pair[0] + " < " + pair[1]);
            assertEquals(1, Integer.signum(DebianVersion.compare(pair[1], pair[0])), pair[1] + " > " + pair[0]);
        }
        assertEquals(0, DebianVersion.compare("1.0-1", "1.0-1"));
        assertEquals(0, DebianVersion.compare("01.0", "1.0"));
        List<String> versions = new ArrayList<>(List.of("6.1.170-3", "6.1.164-1", "6.1.165-1", "6.1.170-1"));
        versions.sort(DebianVersion.ORDER);
        assertEquals(List.of("6.1.164-1", "6.1.165-1", "6.1.170-1", "6.1.170-3"), versions);
    }
}
