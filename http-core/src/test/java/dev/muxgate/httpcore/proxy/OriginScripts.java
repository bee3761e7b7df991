package dev.muxgate.httpcore.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Pieces of misbehaving-origin scripts for {@link RawOrigin}. */
final class OriginScripts {

    private OriginScripts() {
    }

    /** Reads one request (head and a Content-Length body); its head, or null at end of stream. */
    static String readRequest(RawOrigin origin, InputStream in) throws IOException {
        String head = origin.readHead(in);
        if (head == null) {
            return null;
        }
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                long n = Long.parseLong(line.substring(15).trim());
                for (long i = 0; i < n; i++) {
                    if (in.read() < 0) {
                        return null;
                    }
                }
            }
        }
        return head;
    }

    static void answer(Socket s, String body) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                .getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** Answers every request on the connection until the proxy closes it. */
    static void serveAll(RawOrigin origin, Socket s, String body) throws IOException {
        InputStream in = s.getInputStream();
        while (readRequest(origin, in) != null) {
            answer(s, body);
        }
    }

    /** Blocks until the proxy closes the connection. */
    static void awaitClose(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        byte[] buf = new byte[4096];
        while (in.read(buf) >= 0) {
            // discard
        }
    }
}
