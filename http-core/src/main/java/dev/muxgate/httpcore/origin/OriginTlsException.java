package dev.muxgate.httpcore.origin;

import java.security.cert.CertificateException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import javax.net.ssl.SSLHandshakeException;

/**
 * The TLS handshake with an {@code https://} origin failed: the connection was accepted, so this is
 * never reported as a refused connection. {@link #certificate()} tells a certificate the core would
 * not trust (unknown CA, wrong name, expired) from any other handshake failure (the origin wanted a
 * client certificate, no protocol or cipher in common, a time-out).
 */
public final class OriginTlsException extends Exception {

    private final boolean certificate;

    OriginTlsException(OriginKey origin, Throwable cause) {
        super(describe(origin, cause), cause);
        this.certificate = isCertificateProblem(cause);
    }

    public boolean certificate() {
        return certificate;
    }

    static boolean isTls(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof javax.net.ssl.SSLException) {
                return true;
            }
        }
        return false;
    }

    private static String describe(OriginKey origin, Throwable cause) {
        String detail = rootMessage(cause);
        return isCertificateProblem(cause)
                ? "origin " + origin + " presented a certificate that failed verification: " + detail
                : "TLS handshake with origin " + origin + " failed: " + detail;
    }

    private static boolean isCertificateProblem(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof CertificateException || t instanceof CertPathValidatorException
                    || t instanceof CertPathBuilderException) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        if (message == null && cause instanceof SSLHandshakeException) {
            message = cause.getMessage();
        }
        return message == null ? root.getClass().getSimpleName() : message;
    }
}
