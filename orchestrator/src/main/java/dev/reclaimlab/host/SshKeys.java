package dev.reclaimlab.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;
import net.schmizz.sshj.userauth.method.AuthMethod;
import net.schmizz.sshj.userauth.method.AuthPublickey;

/**
 * The keys one hop offers, in OpenSSH's order: configured identity files, then the agent's keys, then (only if no file
 * was configured) the default ~/.ssh/id_* files. Also keeps a summary of what was offered and skipped, because "auth
 * failed" is only actionable when it says which keys were tried.
 */
final class SshKeys {

    private final List<AuthMethod> methods = new ArrayList<>();
    private final List<String> offered = new ArrayList<>();
    private final List<String> skipped = new ArrayList<>();

    private SshKeys() {}

    static SshKeys collect(SSHClient client, SshTarget hop, SshEnvironment environment) throws IOException {
        SshKeys keys = new SshKeys();
        for (Path file : hop.identityFiles()) {
            // A configured key that cannot be used is a configuration error, not something to skip silently.
            keys.addFile(client, hop, file);
        }
        if (hop.useAgent()) {
            keys.addAgent(environment);
        }
        if (hop.identityFiles().isEmpty()) {
            for (Path file : environment.defaultIdentityFiles()) {
                if (Files.exists(file)) {
                    try {
                        keys.addFile(client, hop, file);
                    } catch (IOException e) {
                        keys.skipped.add(e.getMessage());
                    }
                }
            }
        }
        return keys;
    }

    List<AuthMethod> methods() {
        return methods;
    }

    /** E.g. {@code identity file /k/id (ssh-ed25519); skipped: ...}, or why there was nothing to offer. */
    String summary() {
        List<String> parts = new ArrayList<>();
        parts.add(offered.isEmpty() ? "no keys" : String.join(", ", offered));
        if (!skipped.isEmpty()) {
            parts.add("skipped: " + String.join("; ", skipped));
        }
        return String.join("; ", parts);
    }

    private void addFile(SSHClient client, SshTarget hop, Path file) throws IOException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IOException(hop.describe() + ": cannot read identity file " + file + " ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e);
        }
        if (isEncrypted(text)) {
            throw new IOException(hop.describe() + ": identity file " + file + " is protected by a passphrase; load it"
                    + " into ssh-agent (ssh-add " + file + ") or use a key without passphrase");
        }
        KeyProvider provider;
        KeyType type;
        try {
            provider = client.loadKeys(file.toString());
            type = KeyType.fromKey(provider.getPublic());
            provider.getPrivate(); // decode now, so a broken file is reported as such and not as "auth failed"
        } catch (IOException | RuntimeException e) {
            throw new IOException(hop.describe() + ": identity file " + file + " is not a usable private key ("
                    + e.getMessage() + ")", e);
        }
        methods.add(new AuthPublickey(provider));
        offered.add("identity file " + file + " (" + type + ")");
    }

    private void addAgent(SshEnvironment environment) {
        if (environment.agentSocket().isEmpty()) {
            return;
        }
        SshAgent agent = new SshAgent(environment.agentSocket().get());
        try {
            List<SshAgent.Identity> identities = agent.identities();
            if (identities.isEmpty()) {
                skipped.add("ssh-agent at " + agent.socket() + " holds no keys");
            }
            for (SshAgent.Identity identity : identities) {
                try {
                    methods.add(new AgentAuthMethod(agent, identity));
                    offered.add("ssh-agent key " + identity.comment() + " (" + identity.keyType() + ")");
                } catch (IOException | RuntimeException e) {
                    skipped.add("ssh-agent key " + identity.comment() + " of unsupported type " + identity.keyType());
                }
            }
        } catch (IOException e) {
            skipped.add("ssh-agent at " + agent.socket() + " not reachable (" + e.getMessage() + ")");
        }
    }

    /** Passphrase-protected keys in OpenSSH's own format and in the older PEM formats. */
    static boolean isEncrypted(String keyText) {
        if (keyText.contains("Proc-Type: 4,ENCRYPTED") || keyText.contains("BEGIN ENCRYPTED PRIVATE KEY")) {
            return true;
        }
        String begin = "-----BEGIN OPENSSH PRIVATE KEY-----";
        String end = "-----END OPENSSH PRIVATE KEY-----";
        int from = keyText.indexOf(begin);
        int to = keyText.indexOf(end);
        if (from < 0 || to < from) {
            return false;
        }
        try {
            byte[] raw = Base64.getMimeDecoder().decode(keyText.substring(from + begin.length(), to));
            Buffer.PlainBuffer buffer = new Buffer.PlainBuffer(raw);
            byte[] magic = new byte["openssh-key-v1\0".length()];
            buffer.readRawBytes(magic);
            return !"none".equals(buffer.readString()); // the cipher name
        } catch (IllegalArgumentException | Buffer.BufferException e) {
            return false; // not parseable here; sshj will say what is wrong with it
        }
    }
}
