package dev.muxgate.gateway.h2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A well-behaved HTTP/2 client on its own session, opened before an attack starts: it keeps making
 * small requests one after another while the attack runs, and {@link #assertServedThroughout()}
 * checks that every one of them was answered in full, during the attack and after it.
 */
final class Bystander implements AutoCloseable {

    private static final int BODY = 64;

    private final H2Client client;
    private final Thread loop;
    private final AtomicLong served = new AtomicLong();
    private final AtomicReference<String> failure = new AtomicReference<>();
    private volatile boolean stop;

    private Bystander(H2Client client) {
        this.client = client;
        this.loop = new Thread(this::run, "bystander");
        loop.setDaemon(true);
    }

    /** Connects, is served once, then keeps asking in the background. */
    static Bystander start(int port) throws Exception {
        Bystander b = new Bystander(H2Client.connect(port, 65_535));
        b.requestOnce();
        b.loop.start();
        return b;
    }

    private void run() {
        while (!stop && failure.get() == null) {
            try {
                requestOnce();
                served.incrementAndGet();
            } catch (Throwable e) {
                if (!stop) {
                    failure.compareAndSet(null, e.toString());
                }
            }
        }
    }

    private void requestOnce() throws Exception {
        H2Client.Recorder r = new H2Client.Recorder(false);
        Http2StreamChannel stream = client.open(r);
        stream.writeAndFlush(new DefaultHttp2HeadersFrame(client.request("GET", "/bytes/" + BODY), true));
        String status = r.status();
        String end = r.awaitEnd();
        if (!"200".equals(status) || !"end".equals(end) || r.bytes.get() != BODY) {
            throw new AssertionError("bystander got " + status + ", " + end + ", " + r.bytes.get() + " bytes");
        }
    }

    /** Requests answered in full while the attack ran. */
    long served() {
        return served.get();
    }

    /**
     * Stops the loop and asserts that nothing failed, that at least one request was served while
     * the attack ran, and that the session still serves one more.
     */
    void assertServedThroughout() throws Exception {
        // One request at least must have been made during the attack, however slow the machine.
        H2Gateway.awaitTrue("a bystander request during the attack", java.time.Duration.ofSeconds(60),
                () -> served.get() > 0 || failure.get() != null);
        stop = true;
        loop.join(60_000);
        assertEquals(null, failure.get(), "the well-behaved session was hurt by the attack");
        assertTrue(served.get() > 0, "the well-behaved session was served meanwhile");
        requestOnce();
        assertTrue(client.parentActive(), "the well-behaved session is still open");
    }

    @Override
    public void close() {
        stop = true;
        client.close();
    }
}
