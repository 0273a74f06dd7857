package dev.reclaimlab.host;

import java.io.IOException;

/**
 * A file transfer failed or arrived different from what was sent. Whatever happened, nothing was left under the
 * destination name.
 */
public final class TransferException extends IOException {

    public TransferException(String message) {
        super(message);
    }

    public TransferException(String message, Throwable cause) {
        super(message, cause);
    }
}
