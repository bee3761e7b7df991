package dev.muxgate.httpcore.proxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A misbehaving origin: a plain server socket whose every accepted connection runs a script of the
 * test's (answer, stall, close mid-body, reset) on a thread of its own.
 */
final class RawOrigin implements AutoCloseable {

    interface Script {
        void run(Socket socket, int connectionIndex) throws Exception;
    }

    private final ServerSocket server;
    private final Thread acceptor;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    final AtomicInteger connections = new AtomicInteger();
    final AtomicInteger requests = new AtomicInteger();

    RawOrigin(Script script) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                Socket s;
                try {
                    s = server.accept();
                } catch (IOException e) {
                    return;
                }
                sockets.add(s);
                int index = connections.getAndIncrement();
                Thread t = new Thread(() -> {
                    try {
                        s.setSoTimeout(20_000);
                        script.run(s, index);
                    } catch (Exception e) {
                        // the script's socket went away: nothing to report
                    }
                }, "raw-origin-" + index);
                t.setDaemon(true);
                t.start();
            }
        }, "raw-origin-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + port());
    }

    /** Reads one request head (through the blank line); null when the connection ends first. */
    String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int tail = 0;
        for (int c; (c = in.read()) >= 0; ) {
            head.write(c);
            tail = (tail << 8 | c) & 0xffffffff;
            if (tail == 0x0d0a0d0a) {
                requests.incrementAndGet();
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
