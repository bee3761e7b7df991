package dev.muxgate.gateway.frontdoor;

import io.netty.util.AttributeKey;

/**
 * What the gateway knows of one client session while it lasts: its number, the negotiated
 * protocol and TLS facts, how many streams it opened, and why it ended. Touched only on the
 * session's event loop; read at its end for the session log.
 */
public final class SessionContext {

    public static final AttributeKey<SessionContext> ATTRIBUTE =
            AttributeKey.valueOf(SessionContext.class, "muxgate.session");

    private final long number;
    private final long startEpochMillis;
    private final long startNanos;
    private String protocol;
    private String tlsVersion;
    private String tlsCipher;
    private String sni;
    private long streams;
    private String closeReason;
    private Throwable handshakeFailure;

    public SessionContext(long number) {
        this.number = number;
        this.startEpochMillis = System.currentTimeMillis();
        this.startNanos = System.nanoTime();
    }

    public long number() { return number; }
    public long startEpochMillis() { return startEpochMillis; }
    public long startNanos() { return startNanos; }
    public String protocol() { return protocol; }
    public String tlsVersion() { return tlsVersion; }
    public String tlsCipher() { return tlsCipher; }
    public String sni() { return sni; }
    public long streams() { return streams; }
    public String closeReason() { return closeReason; }
    public Throwable handshakeFailure() { return handshakeFailure; }

    void negotiated(String newProtocol, String version, String cipher) {
        protocol = newProtocol;
        tlsVersion = version;
        tlsCipher = cipher;
    }

    void sni(String name) {
        sni = name;
    }

    void streamOpened() {
        streams++;
    }

    void closeReason(String reason) {
        if (closeReason == null) {
            closeReason = reason;
        }
    }

    void handshakeFailed(Throwable cause) {
        handshakeFailure = cause;
        closeReason("tls handshake failed");
    }
}
