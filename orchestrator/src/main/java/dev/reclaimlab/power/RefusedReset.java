package dev.reclaimlab.power;

/** A reset type the BMC turned down before another one was tried, and its reason ({@code HTTP 400: ...}). */
public record RefusedReset(ResetType type, String reason) {
    @Override
    public String toString() {
        return type.redfishName() + " (" + reason + ")";
    }
}
