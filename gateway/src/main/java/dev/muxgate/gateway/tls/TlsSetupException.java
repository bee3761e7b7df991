package dev.muxgate.gateway.tls;

/**
 * The TLS front end cannot be built: a certificate or key file that is missing, unreadable or
 * wrong, a generated certificate that cannot be written, or a TLS provider that was asked for and
 * does not load. The message is one sentence for the operator, naming the file where there is one.
 */
public final class TlsSetupException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public TlsSetupException(String message) {
        super(message);
    }

    public TlsSetupException(String message, Throwable cause) {
        super(message, cause);
    }
}
