package dev.reclaimlab.host;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DropbearVersionTest {

    @Test
    void dropbearBeforeTheFixGetsOneCommandPerConnection() {
        assertFalse(DropbearVersion.sharesConnectionsSafely("SSH-2.0-dropbear_2022.83"));
        assertFalse(DropbearVersion.sharesConnectionsSafely("dropbear_2024.85"));
        assertFalse(DropbearVersion.sharesConnectionsSafely("SSH-2.0-dropbear_2019.78"));
    }

    @Test
    void fixedDropbearAndOtherServersShareOneConnection() {
        assertTrue(DropbearVersion.sharesConnectionsSafely("SSH-2.0-dropbear_2024.86"));
        assertTrue(DropbearVersion.sharesConnectionsSafely("SSH-2.0-dropbear_2025.88"));
        assertTrue(DropbearVersion.sharesConnectionsSafely("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3"));
        assertTrue(DropbearVersion.sharesConnectionsSafely((String) null));
    }
}
