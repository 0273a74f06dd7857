package dev.reclaimlab.kmod;

/** A kernel module cannot be rendered, built, or placed on a host; the message says why and what to do. */
public class KmodException extends Exception {
    public KmodException(String message) {
        super(message);
    }

    public KmodException(String message, Throwable cause) {
        super(message, cause);
    }
}
