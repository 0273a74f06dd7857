package dev.reclaimlab.power;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import javax.net.ssl.SSLException;

/** One line for a transport failure: what the user can act on, not the exception class chain. */
final class Failures {
    private Failures() {}

    static String describe(Throwable e) {
        // a refused certificate is buried under the handshake exception; its message is the useful one
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TlsContexts.CertificateRefused) {
                return "TLS refused: " + t.getMessage() + "; nothing was sent";
            }
        }
        if (e instanceof HttpConnectTimeoutException) {
            return "connecting timed out";
        }
        if (e instanceof HttpTimeoutException) {
            return "no answer within the request timeout";
        }
        if (e instanceof ConnectException) {
            return "connection refused or unreachable";
        }
        if (e instanceof UnknownHostException) {
            return "unknown host";
        }
        if (e instanceof SSLException) {
            return "TLS failed: " + RedfishMessages.oneLine(String.valueOf(e.getMessage()));
        }
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return RedfishMessages.oneLine(message);
    }
}
