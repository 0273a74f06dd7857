package dev.reclaimlab.host;

import com.hierynomus.sshj.key.KeyAlgorithm;
import java.io.IOException;
import java.security.PublicKey;
import java.util.LinkedList;
import java.util.Queue;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.common.Message;
import net.schmizz.sshj.common.SSHPacket;
import net.schmizz.sshj.transport.TransportException;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.method.AbstractAuthMethod;

/**
 * sshj {@code publickey} authentication where the signature comes from ssh-agent. Mirrors sshj's own
 * {@code AuthPublickey} (first a query whether the key is acceptable, then the signed request) but asks the agent to
 * sign instead of using a private key we hold.
 */
final class AgentAuthMethod extends AbstractAuthMethod {

    private final SshAgent agent;
    private final SshAgent.Identity identity;
    private final KeyType keyType;
    /** Signature algorithms still to try for this key, e.g. rsa-sha2-512 then rsa-sha2-256 for an RSA key. */
    private Queue<KeyAlgorithm> algorithms;

    AgentAuthMethod(SshAgent agent, SshAgent.Identity identity) throws IOException {
        super("publickey");
        this.agent = agent;
        this.identity = identity;
        PublicKey key = new Buffer.PlainBuffer(identity.keyBlob()).readPublicKey();
        this.keyType = KeyType.fromKey(key);
    }

    @Override
    public void handle(Message cmd, SSHPacket buf) throws UserAuthException, TransportException {
        if (cmd == Message.USERAUTH_60) { // PK_OK: the server would accept this key, now prove we hold it
            sendSigned();
        } else {
            super.handle(cmd, buf);
        }
    }

    @Override
    protected SSHPacket buildReq() throws UserAuthException {
        return putKey(super.buildReq().putBoolean(false));
    }

    @Override
    public boolean shouldRetry() {
        if (algorithms != null) {
            algorithms.poll();
            return !algorithms.isEmpty();
        }
        return false;
    }

    private void sendSigned() throws UserAuthException, TransportException {
        SSHPacket request = putKey(super.buildReq().putBoolean(true));
        byte[] toSign = new Buffer.PlainBuffer()
                .putString(params.getTransport().getSessionID())
                .putBuffer(request)
                .getCompactData();
        byte[] signature;
        try {
            signature = agent.sign(identity.keyBlob(), toSign, flags(algorithm().getKeyAlgorithm()));
        } catch (IOException e) {
            throw new UserAuthException(e.getMessage(), e);
        }
        request.putBytes(signature); // the agent already wrote "string algorithm, string signature"
        params.getTransport().write(request);
    }

    private SSHPacket putKey(SSHPacket request) throws UserAuthException {
        return request.putString(algorithm().getKeyAlgorithm()).putBytes(identity.keyBlob());
    }

    private KeyAlgorithm algorithm() throws UserAuthException {
        try {
            if (algorithms == null) {
                algorithms = new LinkedList<>(params.getTransport().getClientKeyAlgorithms(keyType));
            }
        } catch (TransportException e) {
            throw new UserAuthException("no signature algorithm for " + keyType + " agent key", e);
        }
        KeyAlgorithm algorithm = algorithms.peek();
        if (algorithm == null) {
            throw new UserAuthException("no signature algorithm left for " + keyType + " agent key");
        }
        return algorithm;
    }

    private static int flags(String algorithm) {
        return switch (algorithm) {
            case "rsa-sha2-256" -> SshAgent.RSA_SHA2_256;
            case "rsa-sha2-512" -> SshAgent.RSA_SHA2_512;
            default -> 0;
        };
    }

    @Override
    public String toString() {
        return "ssh-agent key " + identity.comment();
    }
}
