package dev.muxgate.gateway.fault;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An origin the test controls byte by byte: a plain server socket on loopback whose every
 * accepted connection reads one request head and then runs the test's {@link Fault} (answer in
 * part, then close, reset or hang; chosen by the request's path) on a thread of its own.
 */
public final class ScriptedOrigin implements AutoCloseable {

    /** What the origin does once it has read a request head. */
    public interface Fault {
        void act(Socket socket, OutputStream out, String requestHead) throws Exception;
    }

    private final ServerSocket server;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    public ScriptedOrigin(Fault fault) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                Socket s;
                try {
                    s = server.accept();
                } catch (IOException e) {
                    return;
                }
                sockets.add(s);
                Thread t = new Thread(() -> {
                    try (s) {
                        s.setSoTimeout(60_000);
                        String head = readHead(s.getInputStream());
                        if (head != null) {
                            fault.act(s, s.getOutputStream(), head);
                        }
                    } catch (Exception e) {
                        // the proxy went away first: nothing to report
                    }
                }, "scripted-origin");
                t.setDaemon(true);
                t.start();
            }
        }, "scripted-origin-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /** Writes {@code text} (ISO-8859-1) and flushes. */
    public static void send(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** Closes the socket with RST instead of FIN (SO_LINGER 0). */
    public static void reset(Socket s) throws IOException {
        s.setSoLinger(true, 0);
        s.close();
    }

    /** Blocks until the proxy closes the connection (or the socket time-out passes). */
    public static void hang(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        byte[] buf = new byte[4096];
        while (in.read(buf) >= 0) {
            // discard
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int tail = 0;
        for (int c; (c = in.read()) >= 0; ) {
            head.write(c);
            tail = tail << 8 | c;
            if (tail == 0x0d0a0d0a) {
                return head.toString(StandardCharsets.ISO_8859_1);
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
