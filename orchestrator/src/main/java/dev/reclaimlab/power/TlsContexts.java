package dev.reclaimlab.power;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The {@link SSLContext} for a {@link TlsTrust}. Each trust manager throws a {@link CertificateRefused} whose message
 * names the fingerprint the BMC presented, because that is what the user needs to pin it.
 */
final class TlsContexts {
    private TlsContexts() {}

    /** A refused server certificate; the HTTP client buries it as the cause of a handshake exception. */
    static final class CertificateRefused extends CertificateException {
        CertificateRefused(String message, Throwable cause) {
            super(message, cause);
        }
    }

    static SSLContext forTrust(TlsTrust trust) {
        try {
            TrustManager manager;
            if (trust instanceof TlsTrust.Pinned p) {
                manager = new PinnedLeaf(p.sha256());
            } else if (trust instanceof TlsTrust.Insecure) {
                manager = new TrustAnything();
            } else {
                manager = new TrustStoreNamingFingerprint(defaultTrustManager());
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {manager}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JVM cannot set up TLS: " + e.getMessage(), e);
        }
    }

    private static X509ExtendedTrustManager defaultTrustManager() throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init((KeyStore) null);
        for (TrustManager m : factory.getTrustManagers()) {
            if (m instanceof X509ExtendedTrustManager x) {
                return x;
            }
        }
        throw new GeneralSecurityException("the JVM has no X.509 trust manager");
    }

    /** "unable to find valid certification path ..." rather than the three exception classes wrapped around it. */
    private static String innermost(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() == null ? e.getMessage() : root.getMessage();
    }

    private static String leafFingerprint(X509Certificate[] chain) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateRefused("the BMC presented no certificate", null);
        }
        return Fingerprints.sha256(chain[0]);
    }

    /**
     * Only the server side matters here; this client never checks client certificates. Subclasses extend
     * {@link X509ExtendedTrustManager} on purpose: for a plain X509TrustManager, JSSE adds its own host-name check,
     * which a pinned or insecure BMC must not get.
     */
    private abstract static class ServerOnly extends X509ExtendedTrustManager {
        abstract void check(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException;

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            check(chain, authType, engine);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            check(chain, authType, null);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            check(chain, authType, null);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            throw new CertificateException("lab accepts no client certificates");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            throw new CertificateException("lab accepts no client certificates");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("lab accepts no client certificates");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    /** The JVM's own checks (chain and host name), with the fingerprint added to a refusal. */
    private static final class TrustStoreNamingFingerprint extends ServerOnly {
        private final X509ExtendedTrustManager delegate;

        TrustStoreNamingFingerprint(X509ExtendedTrustManager delegate) {
            this.delegate = delegate;
        }

        @Override
        void check(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            try {
                if (engine != null) {
                    delegate.checkServerTrusted(chain, authType, engine);
                } else {
                    delegate.checkServerTrusted(chain, authType);
                }
            } catch (CertificateException e) {
                throw new CertificateRefused("the BMC's certificate (SHA-256 " + leafFingerprint(chain)
                        + ") is not trusted by the JVM trust store (" + innermost(e) + ")"
                        + "; pin that fingerprint or opt out with insecure", e);
            }
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return delegate.getAcceptedIssuers();
        }
    }

    private static final class PinnedLeaf extends ServerOnly {
        private final String pinned;

        PinnedLeaf(String pinned) {
            this.pinned = pinned;
        }

        @Override
        void check(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            String presented = leafFingerprint(chain);
            if (!presented.equals(pinned)) {
                throw new CertificateRefused("the BMC's certificate does not match the pin: pinned SHA-256 " + pinned
                        + ", BMC presented SHA-256 " + presented, null);
            }
        }
    }

    private static final class TrustAnything extends ServerOnly {
        @Override
        void check(X509Certificate[] chain, String authType, SSLEngine engine) {
            // the user opted out of authenticating the BMC (insecure)
        }
    }
}
