package dev.muxgate.gateway;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A plain HTTP/1.1 origin on loopback that answers every request with its own name, so a test can
 * tell which origin served a stream; {@code /slow} answers after {@code slowMillis}.
 */
final class NamedOrigin implements AutoCloseable {

    final String name;
    final AtomicLong requests = new AtomicLong();
    final CountDownLatch slowStarted = new CountDownLatch(1);
    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(16);

    NamedOrigin(String name, long slowMillis) throws IOException {
        this.name = name;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
        server.setExecutor(threads);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                if (exchange.getRequestURI().getPath().startsWith("/slow")) {
                    slowStarted.countDown();
                    try {
                        Thread.sleep(slowMillis);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                byte[] body = ("origin " + name + "\n").getBytes(StandardCharsets.US_ASCII);
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
