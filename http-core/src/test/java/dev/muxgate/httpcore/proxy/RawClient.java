package dev.muxgate.httpcore.proxy;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A TCP client that writes exact bytes and parses responses by hand, so a test sees precisely what
 * the core put on the wire: framing, header order, truncation, the close.
 */
final class RawClient implements AutoCloseable {

    /** Kept in memory at most; the rest of a body is only counted. */
    static final int KEEP_BODY = 1 << 20;

    final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RawClient(InetSocketAddress address) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", address.getPort()), 5000);
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        out = socket.getOutputStream();
    }

    RawClient send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    RawClient send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    OutputStream output() {
        return out;
    }

    InputStream input() {
        return in;
    }

    /** One parsed response. */
    static final class Response {
        String statusLine;
        int status;
        final Map<String, List<String>> headers = new LinkedHashMap<>();
        final Map<String, List<String>> trailers = new LinkedHashMap<>();
        final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        long bodyBytes;
        boolean chunked;
        /** The framing ended as announced (last chunk, full length, or close for read-until-close). */
        boolean complete;
        String rawHead;

        String header(String name) {
            List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
            return v == null ? null : v.get(0);
        }

        List<String> headers(String name) {
            return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
        }

        String body() {
            return kept.toString(StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return rawHead + "[" + bodyBytes + " body bytes, complete=" + complete + "]";
        }
    }

    Response read() throws IOException {
        return read(false);
    }

    /** Reads one response; {@code head} when it answers a HEAD request (no body whatever the headers). */
    Response read(boolean head) throws IOException {
        return read(head, null);
    }

    /** Like {@link #read(boolean)}; {@code pause} runs once after the first 8 MiB of body (a slow reader). */
    Response read(boolean head, Runnable pause) throws IOException {
        Response r = new Response();
        StringBuilder raw = new StringBuilder();
        String line = readLine();
        if (line == null) {
            throw new IOException("connection closed before a response");
        }
        raw.append(line).append('\n');
        r.statusLine = line;
        r.status = Integer.parseInt(line.split(" ")[1]);
        readFields(r.headers, raw);
        r.rawHead = raw.toString();
        if (head || r.status / 100 == 1 || r.status == 204 || r.status == 304) {
            r.complete = true;
            return r;
        }
        String te = r.header("transfer-encoding");
        String cl = r.header("content-length");
        if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
            r.chunked = true;
            for (;;) {
                String size = readLine();
                if (size == null) {
                    return r;
                }
                int semi = size.indexOf(';');
                long n = Long.parseLong((semi >= 0 ? size.substring(0, semi) : size).trim(), 16);
                if (n == 0) {
                    readFields(r.trailers, new StringBuilder());
                    r.complete = true;
                    return r;
                }
                if (!readBody(r, n, pause)) {
                    return r;
                }
                String crlf = readLine();
                if (crlf == null || !crlf.isEmpty()) {
                    return r;
                }
            }
        } else if (cl != null) {
            r.complete = readBody(r, Long.parseLong(cl.trim()), pause);
        } else {
            readBody(r, Long.MAX_VALUE, pause);
            r.complete = true;
        }
        return r;
    }

    private boolean readBody(Response r, long n, Runnable pause) throws IOException {
        byte[] buf = new byte[64 * 1024];
        long left = n;
        while (left > 0) {
            int k;
            try {
                k = in.read(buf, 0, (int) Math.min(buf.length, left));
            } catch (SocketException e) {
                return false;
            }
            if (k < 0) {
                return n == Long.MAX_VALUE;
            }
            long before = r.bodyBytes;
            r.bodyBytes += k;
            left -= k;
            if (r.kept.size() < KEEP_BODY) {
                r.kept.write(buf, 0, (int) Math.min(k, KEEP_BODY - r.kept.size()));
            }
            if (pause != null && before < (8 << 20) && r.bodyBytes >= (8 << 20)) {
                pause.run();
            }
        }
        return true;
    }

    private void readFields(Map<String, List<String>> into, StringBuilder raw) throws IOException {
        for (String h; (h = readLine()) != null && !h.isEmpty(); ) {
            raw.append(h).append('\n');
            int colon = h.indexOf(':');
            into.computeIfAbsent(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(h.substring(colon + 1).trim());
        }
    }

    /** A CRLF-terminated line without the CRLF; null at end of stream. */
    String readLine() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (;;) {
            int c;
            try {
                c = in.read();
            } catch (SocketException e) {
                return null;
            }
            if (c < 0) {
                return sb.length() == 0 ? null : sb.toString();
            }
            if (c == '\n') {
                int len = sb.length();
                if (len > 0 && sb.charAt(len - 1) == '\r') {
                    sb.setLength(len - 1);
                }
                return sb.toString();
            }
            sb.append((char) c);
        }
    }

    /** True when the core closed the connection (end of stream or reset) within the socket time-out. */
    boolean closedByPeer() throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true;
        }
    }

    /** Reads everything until the core closes; what remained unread. */
    String drain() throws IOException {
        ByteArrayOutputStream rest = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            for (int k; (k = in.read(buf)) >= 0; ) {
                rest.write(buf, 0, k);
            }
        } catch (SocketException e) {
            // reset: closed too
        }
        return rest.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
