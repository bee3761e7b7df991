package dev.muxgate.gateway.frontdoor;

import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * What the gateway knows of one client session while it lasts: its number, the client's address,
 * the negotiated protocol and TLS facts, how many streams it opened, the bytes it carried, when
 * and why it ended. Touched only on the session's event loop; read at its end for the session log.
 * The address, the byte counts and the end are noted by the session's traffic meter (a handler at
 * the head of the pipeline, in the {@code session} package).
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
    private boolean resumed;
    private String sni;
    private long streams;
    private volatile long openStreams;
    private String closeReason;
    private Throwable handshakeFailure;
    private String clientIp;
    private int clientPort;
    private long bytesIn;
    private long bytesOut;
    private long endEpochMillis;
    private long endNanos;

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
    /** The handshake resumed an earlier TLS session instead of a full one. */
    public boolean resumed() { return resumed; }
    public String sni() { return sni; }
    public long streams() { return streams; }
    public String closeReason() { return closeReason; }
    public Throwable handshakeFailure() { return handshakeFailure; }
    /** The client's IP address as the access log spells it; null when not known. */
    public String clientIp() { return clientIp; }
    /** The client's port; 0 when not known. */
    public int clientPort() { return clientPort; }
    /** Bytes received from the client on the socket, TLS records included. */
    public long bytesIn() { return bytesIn; }
    /** Bytes handed to the socket for the client, TLS records included. */
    public long bytesOut() { return bytesOut; }
    /** When the session ended, epoch milliseconds; 0 while it lasts. */
    public long endEpochMillis() { return endEpochMillis; }
    public boolean hasEnded() { return endEpochMillis != 0; }

    /** How long the session lasted (so far, while it lasts), from the monotonic clock. */
    public long durationMillis() {
        long end = hasEnded() ? endNanos : System.nanoTime();
        return Math.max(0, (end - startNanos) / 1_000_000);
    }

    /**
     * Notes the client's address; an address that is not an IP socket address (a test channel's,
     * a domain socket's) leaves it unknown. The IP is spelled as the access log's {@code chi}, so
     * the two logs join on it.
     */
    public void clientAddress(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            clientIp = inet.getAddress() != null ? inet.getAddress().getHostAddress() : inet.getHostString();
            clientPort = inet.getPort();
        }
    }

    public void received(long bytes) {
        bytesIn += bytes;
    }

    public void sent(long bytes) {
        bytesOut += bytes;
    }

    /** Notes that the session has ended, now; later calls keep the first end. */
    public void end() {
        if (!hasEnded()) {
            endNanos = System.nanoTime();
            // Never 0, which means "still running".
            endEpochMillis = Math.max(1, System.currentTimeMillis());
        }
    }

    void negotiated(String newProtocol, String version, String cipher, boolean resumedSession) {
        protocol = newProtocol;
        tlsVersion = version;
        tlsCipher = cipher;
        resumed = resumedSession;
    }

    void sni(String name) {
        sni = name;
    }

    /**
     * Streams open now. Only the session's loop writes it (so ++ and -- need no atomics); the
     * admin endpoint reads it from elsewhere, hence volatile.
     */
    public long openStreams() {
        return openStreams;
    }

    void streamClosed() {
        openStreams--;
    }

    void streamOpened() {
        openStreams++;
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
