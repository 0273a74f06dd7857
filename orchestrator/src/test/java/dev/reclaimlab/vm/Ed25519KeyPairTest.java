package dev.reclaimlab.vm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Base64;
import net.schmizz.sshj.common.Buffer;
import com.hierynomus.sshj.userauth.keyprovider.OpenSSHKeyV1KeyFile;
import org.junit.jupiter.api.Test;

class Ed25519KeyPairTest {
    @Test
    void sshjReadsThePrivateKeyFileAndItMatchesThePublicKey() throws Exception {
        Ed25519KeyPair pair = Ed25519KeyPair.generate();
        OpenSSHKeyV1KeyFile file = new OpenSSHKeyV1KeyFile();
        file.init(pair.openSshPrivateKey("lab-vm-test"), null);
        PublicKey read = file.getPublic();
        byte[] blob = new Buffer.PlainBuffer().putPublicKey(read).getCompactData();
        assertArrayEquals(pair.publicBlob(), blob);
        assertEquals("lab-vm-test".length() > 0, file.getPrivate() != null);
    }

    @Test
    void publicLineIsWhatAuthorizedKeysAndKnownHostsExpect() {
        Ed25519KeyPair pair = Ed25519KeyPair.generate();
        String[] words = pair.publicLine("lab-vm-a").split(" ");
        assertEquals("ssh-ed25519", words[0]);
        assertArrayEquals(pair.publicBlob(), Base64.getDecoder().decode(words[1]));
        assertEquals("lab-vm-a", words[2]);
        assertNotEquals(pair.publicLine(""), Ed25519KeyPair.generate().publicLine(""));
    }

    @Test
    void dropbearKeyFileIsTypeThenSeedAndPublicKey() {
        Ed25519KeyPair pair = Ed25519KeyPair.generate();
        ByteBuffer b = ByteBuffer.wrap(pair.dropbearPrivateKey());
        byte[] type = new byte[b.getInt()];
        b.get(type);
        assertEquals("ssh-ed25519", new String(type, StandardCharsets.US_ASCII));
        assertEquals(64, b.getInt());
        byte[] keys = new byte[64];
        b.get(keys);
        assertEquals(0, b.remaining());
        byte[] publicKey = Arrays.copyOfRange(pair.publicBlob(), pair.publicBlob().length - 32, pair.publicBlob().length);
        assertArrayEquals(publicKey, Arrays.copyOfRange(keys, 32, 64));
    }
}
