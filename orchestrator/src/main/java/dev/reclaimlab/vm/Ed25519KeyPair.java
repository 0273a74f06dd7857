package dev.reclaimlab.vm;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * An Ed25519 key pair made with the JDK, written in the three formats a VM needs: OpenSSH's private key file (the
 * client key lab and {@code ssh -i} log in with), dropbear's host key file (baked into the guest, so its public half is
 * known, and pinned in known_hosts, before the VM first boots) and the public key line ({@code authorized_keys},
 * {@code known_hosts}). No ssh-keygen or dropbearkey is needed on this machine.
 */
final class Ed25519KeyPair {
    private static final String TYPE = "ssh-ed25519";
    private final byte[] seed;
    private final byte[] publicKey;

    private Ed25519KeyPair(byte[] seed, byte[] publicKey) {
        this.seed = seed;
        this.publicKey = publicKey;
    }

    static Ed25519KeyPair generate() {
        try {
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            // PKCS#8 and X.509 encodings of Ed25519 keys end with the raw 32-byte seed and public key (RFC 8410).
            byte[] pkcs8 = pair.getPrivate().getEncoded();
            byte[] x509 = pair.getPublic().getEncoded();
            return new Ed25519KeyPair(Arrays.copyOfRange(pkcs8, pkcs8.length - 32, pkcs8.length),
                    Arrays.copyOfRange(x509, x509.length - 32, x509.length));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot make Ed25519 keys", e);
        }
    }

    /** The SSH wire form of the public key: string "ssh-ed25519", string key. */
    byte[] publicBlob() {
        Wire w = new Wire();
        w.string(TYPE.getBytes(StandardCharsets.US_ASCII));
        w.string(publicKey);
        return w.bytes();
    }

    /** {@code ssh-ed25519 AAAA... comment}, as authorized_keys and .pub files have it. */
    String publicLine(String comment) {
        return TYPE + " " + Base64.getEncoder().encodeToString(publicBlob()) + (comment.isEmpty() ? "" : " " + comment);
    }

    /** The unencrypted {@code -----BEGIN OPENSSH PRIVATE KEY-----} file (openssh-key-v1 format). */
    String openSshPrivateKey(String comment) {
        Wire secret = new Wire();
        int check = new SecureRandom().nextInt();
        secret.uint32(check);
        secret.uint32(check);
        secret.string(TYPE.getBytes(StandardCharsets.US_ASCII));
        secret.string(publicKey);
        secret.string(concat(seed, publicKey));
        secret.string(comment.getBytes(StandardCharsets.UTF_8));
        for (int pad = 1; secret.size() % 8 != 0; pad++) {
            secret.raw(new byte[] {(byte) pad});
        }
        Wire file = new Wire();
        file.raw("openssh-key-v1\0".getBytes(StandardCharsets.US_ASCII));
        file.string("none".getBytes(StandardCharsets.US_ASCII));
        file.string("none".getBytes(StandardCharsets.US_ASCII));
        file.string(new byte[0]);
        file.uint32(1);
        file.string(publicBlob());
        file.string(secret.bytes());
        String base64 = Base64.getEncoder().encodeToString(file.bytes());
        StringBuilder pem = new StringBuilder("-----BEGIN OPENSSH PRIVATE KEY-----\n");
        for (int i = 0; i < base64.length(); i += 70) {
            pem.append(base64, i, Math.min(base64.length(), i + 70)).append('\n');
        }
        return pem.append("-----END OPENSSH PRIVATE KEY-----\n").toString();
    }

    /** dropbear's own key file: string "ssh-ed25519", then the 32-byte seed and the public key as one string. */
    byte[] dropbearPrivateKey() {
        Wire w = new Wire();
        w.string(TYPE.getBytes(StandardCharsets.US_ASCII));
        w.string(concat(seed, publicKey));
        return w.bytes();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** SSH wire encoding: uint32 big-endian lengths before byte strings. */
    private static final class Wire {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        void uint32(int v) {
            out.writeBytes(ByteBuffer.allocate(4).putInt(v).array());
        }

        void string(byte[] bytes) {
            uint32(bytes.length);
            out.writeBytes(bytes);
        }

        void raw(byte[] bytes) {
            out.writeBytes(bytes);
        }

        int size() {
            return out.size();
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
