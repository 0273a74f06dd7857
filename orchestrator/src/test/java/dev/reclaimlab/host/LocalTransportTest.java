package dev.reclaimlab.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LocalTransportTest extends TransportContractTest {

    private static LocalTransport local;

    @BeforeAll
    static void open() {
        local = new LocalTransport();
    }

    @AfterAll
    static void close() {
        local.close();
    }

    @Override
    Transport transport() {
        return local;
    }

    @Test
    void isTheBuiltInHostLocal() {
        assertEquals("local", local.hostName());
    }
}
