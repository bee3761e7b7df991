package dev.muxgate.gateway.h2;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * An HTTP/2 attacker over real TLS: a blocking JDK socket that writes whatever frames a test
 * builds, byte for byte, with no codec to refuse them, and (unless told not to) a reader thread
 * that records what the gateway answers: GOAWAY, RST_STREAM per stream, response heads, the end of
 * the connection. It acknowledges the server's SETTINGS unless it is a client that never reads.
 */
final class RawH2 implements AutoCloseable {

    static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    static final int DATA = 0x0;
    static final int HEADERS = 0x1;
    static final int PRIORITY = 0x2;
    static final int RST_STREAM = 0x3;
    static final int SETTINGS = 0x4;
    static final int PING = 0x6;
    static final int GOAWAY = 0x7;
    static final int WINDOW_UPDATE = 0x8;
    static final int CONTINUATION = 0x9;

    static final int END_STREAM = 0x1;
    static final int ACK = 0x1;
    static final int END_HEADERS = 0x4;

    /** One frame the gateway sent. */
    record Frame(int type, int flags, int stream, byte[] payload) {
        long errorCodeOfReset() {
            return u32(payload, 0);
        }

        int lastStreamOfGoAway() {
            return (int) (u32(payload, 0) & 0x7fffffffL);
        }

        long errorCodeOfGoAway() {
            return u32(payload, 4);
        }
    }

    private final SSLSocket socket;
    private final OutputStream out;
    private final int port;
    private final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    private final Map<Integer, Long> resets = new ConcurrentHashMap<>();
    private final AtomicLong resetsReceived = new AtomicLong();
    private volatile Frame goAway;
    private volatile boolean ended;
    private volatile IOException readFailure;
    private final boolean reads;
    private long bytesWritten;
    private boolean prefaceSent;
    private boolean settingsAckOwed;

    private RawH2(SSLSocket socket, int port, boolean reads) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.port = port;
        this.reads = reads;
    }

    /** Connects, negotiates h2 and starts reading (if {@code reads}); nothing is sent yet. */
    static RawH2 connect(int port, boolean reads) throws Exception {
        return connect(port, reads, 0);
    }

    /** @param receiveBuffer the socket's receive buffer, or 0 for the system's */
    static RawH2 connect(int port, boolean reads, int receiveBuffer) throws Exception {
        return connect(port, reads, receiveBuffer, null);
    }

    /** @param from the local address to connect from (another loopback address), or null */
    static RawH2 connect(int port, boolean reads, int receiveBuffer, String from) throws Exception {
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, new TrustManager[] {new TrustEverything()}, new SecureRandom());
        Socket plain = new Socket();
        if (receiveBuffer > 0) {
            plain.setReceiveBufferSize(receiveBuffer);
        }
        if (from != null) {
            plain.bind(new InetSocketAddress(from, 0));
        }
        plain.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        plain.setTcpNoDelay(true);
        SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(plain, "127.0.0.1", port, true);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setApplicationProtocols(new String[] {"h2"});
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        if (!"h2".equals(socket.getApplicationProtocol())) {
            socket.close();
            throw new AssertionError("h2 not negotiated: " + socket.getApplicationProtocol());
        }
        RawH2 h2 = new RawH2(socket, port, reads);
        if (reads) {
            Thread reader = new Thread(h2::readLoop, "raw-h2-reader-" + port);
            reader.setDaemon(true);
            reader.start();
        }
        return h2;
    }

    /** The connection preface and an empty SETTINGS frame. */
    RawH2 preface() throws IOException {
        return preface(new byte[0]);
    }

    /**
     * The connection preface and a SETTINGS frame of {@code settings}; then the acknowledgement of
     * the server's SETTINGS if it came first (an ACK before the preface would be a bad preface).
     */
    synchronized RawH2 preface(byte[] settings) throws IOException {
        write(PREFACE);
        frame(SETTINGS, 0, 0, settings);
        prefaceSent = true;
        if (settingsAckOwed) {
            settingsAckOwed = false;
            frame(SETTINGS, ACK, 0, new byte[0]);
        }
        flush();
        return this;
    }

    synchronized void write(byte[] bytes) throws IOException {
        out.write(bytes);
        bytesWritten += bytes.length;
    }

    synchronized long bytesWritten() {
        return bytesWritten;
    }

    synchronized void flush() throws IOException {
        out.flush();
    }

    void frame(int type, int flags, int stream, byte[] payload) throws IOException {
        write(frameBytes(type, flags, stream, payload));
    }

    static byte[] frameBytes(int type, int flags, int stream, byte[] payload) {
        byte[] f = new byte[9 + payload.length];
        f[0] = (byte) (payload.length >>> 16);
        f[1] = (byte) (payload.length >>> 8);
        f[2] = (byte) payload.length;
        f[3] = (byte) type;
        f[4] = (byte) flags;
        f[5] = (byte) (stream >>> 24 & 0x7f);
        f[6] = (byte) (stream >>> 16);
        f[7] = (byte) (stream >>> 8);
        f[8] = (byte) stream;
        System.arraycopy(payload, 0, f, 9, payload.length);
        return f;
    }

    /** A complete request head on {@code stream}: HEADERS with END_HEADERS. */
    void request(int stream, String method, String path, boolean endStream) throws IOException {
        frame(HEADERS, END_HEADERS | (endStream ? END_STREAM : 0), stream, requestBlock(method, path));
    }

    /** The HPACK block of a request (literals, never indexed: the server's table stays empty). */
    byte[] requestBlock(String method, String path) {
        Hpack block = new Hpack();
        block.literal(":method", method);
        block.literal(":scheme", "https");
        block.literal(":authority", "127.0.0.1:" + port);
        block.literal(":path", path);
        return block.bytes();
    }

    static byte[] u32(long value) {
        return new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
    }

    static long u32(byte[] b, int at) {
        return (b[at] & 0xffL) << 24 | (b[at + 1] & 0xffL) << 16 | (b[at + 2] & 0xffL) << 8 | (b[at + 3] & 0xffL);
    }

    // ---- what the gateway answered ----

    /** The GOAWAY received, or null. */
    Frame goAway() {
        return goAway;
    }

    /** The gateway closed the connection (or it broke). */
    boolean ended() {
        return ended;
    }

    /** The reset code the gateway sent for {@code stream}, or null. */
    Long resetOf(int stream) {
        return resets.get(stream);
    }

    long resetsReceived() {
        return resetsReceived.get();
    }

    /** The next frame matching {@code what} within {@code seconds}, or null. */
    Frame await(Predicate<Frame> what, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        for (long left; (left = deadline - System.nanoTime()) > 0; ) {
            Frame f = frames.poll(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)), TimeUnit.NANOSECONDS);
            if (f != null && what.test(f)) {
                return f;
            }
            if (f == null && ended && frames.isEmpty()) {
                return null;
            }
        }
        return null;
    }

    /** Waits until the gateway has ended the connection; true if it did within {@code seconds}. */
    boolean awaitEnd(int seconds) throws InterruptedException {
        if (!reads) {
            throw new IllegalStateException("a client that does not read cannot see the end");
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!ended && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return ended;
    }

    private void readLoop() {
        try {
            DataInputStream in = new DataInputStream(socket.getInputStream());
            while (true) {
                int length = in.readUnsignedByte() << 16 | in.readUnsignedByte() << 8 | in.readUnsignedByte();
                int type = in.readUnsignedByte();
                int flags = in.readUnsignedByte();
                int stream = in.readInt() & 0x7fffffff;
                byte[] payload = new byte[length];
                in.readFully(payload);
                Frame f = new Frame(type, flags, stream, payload);
                if (type == SETTINGS && (flags & ACK) == 0) {
                    try {
                        synchronized (this) {
                            if (prefaceSent) {
                                frame(SETTINGS, ACK, 0, new byte[0]);
                                flush();
                            } else {
                                settingsAckOwed = true;
                            }
                        }
                    } catch (IOException ignored) {
                        // The end is noticed by the read side.
                    }
                } else if (type == GOAWAY) {
                    goAway = f;
                } else if (type == RST_STREAM) {
                    resets.put(stream, f.errorCodeOfReset());
                    resetsReceived.incrementAndGet();
                }
                frames.add(f);
            }
        } catch (EOFException e) {
            // The gateway closed the connection.
        } catch (IOException e) {
            readFailure = e;
        } finally {
            ended = true;
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Closing: nothing to do.
        }
    }

    /** HPACK without Huffman: literals without indexing, plus what a bomb needs. */
    static final class Hpack {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        /** Literal field, new name, not indexed (RFC 7541 6.2.2). */
        Hpack literal(String name, String value) {
            out.write(0x00);
            string(name);
            string(value);
            return this;
        }

        /** Literal field, new name, added to the dynamic table (RFC 7541 6.2.1). */
        Hpack indexedLiteral(String name, String value) {
            out.write(0x40);
            string(name);
            string(value);
            return this;
        }

        /** A field from the table (RFC 7541 6.1); 62 is the newest dynamic entry. */
        Hpack indexed(int index) {
            integer(index, 7, 0x80);
            return this;
        }

        byte[] bytes() {
            return out.toByteArray();
        }

        private void string(String s) {
            byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
            integer(b.length, 7, 0x00);
            out.write(b, 0, b.length);
        }

        private void integer(int value, int prefixBits, int mask) {
            int max = (1 << prefixBits) - 1;
            if (value < max) {
                out.write(mask | value);
                return;
            }
            out.write(mask | max);
            value -= max;
            while (value >= 128) {
                out.write(value % 128 + 128);
                value /= 128;
            }
            out.write(value);
        }
    }

    private static final class TrustEverything implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
