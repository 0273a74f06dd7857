package dev.reclaimlab.profile;

/** lab's sampler cannot be built for a host: no compiler for its machine, or the compiler failed (its lines said). */
public final class ProfileException extends Exception {
    public ProfileException(String message) {
        super(message);
    }
}
