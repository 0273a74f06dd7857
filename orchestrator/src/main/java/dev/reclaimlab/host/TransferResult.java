package dev.reclaimlab.host;

/**
 * A file that arrived intact.
 *
 * @param bytes      size of the file
 * @param sha256     SHA-256 of the content as computed on this side (lower-case hex), whatever the host could verify
 * @param verifiedBy how strongly the host confirmed the copy matches its side
 */
public record TransferResult(long bytes, String sha256, Verification verifiedBy) {

    /** What the host side could check: the best of these its tools allow. */
    public enum Verification {
        /** size and SHA-256 ({@code sha256sum}) both match */
        SHA256,
        /** size and MD5 match; the host has no {@code sha256sum} */
        MD5,
        /** only the size matches; the host has neither {@code sha256sum} nor {@code md5sum} */
        SIZE_ONLY
    }
}
