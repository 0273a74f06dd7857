package dev.reclaimlab.host;

class LocalFileTransferTest extends FileTransferContractTest {

    private final LocalTransport local = new LocalTransport();

    @Override
    Transport transport() {
        return local;
    }
}
