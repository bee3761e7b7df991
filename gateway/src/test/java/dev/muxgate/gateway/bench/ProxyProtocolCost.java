package dev.muxgate.gateway.bench;

import dev.muxgate.httpcore.balancer.ProxyProtocolConfig;
import dev.muxgate.httpcore.balancer.ProxyProtocolMode;
import dev.muxgate.httpcore.balancer.TrustedBalancers;
import dev.muxgate.httpcore.config.AccessLogConfig;
import dev.muxgate.httpcore.config.CoreConfig;
import dev.muxgate.httpcore.config.ListenerConfig;
import dev.muxgate.httpcore.proxy.ProxyCore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the PROXY protocol costs a connection: two cores in one process, alike but for
 * {@code proxy-protocol} on their plain listener (required, trusting 127.0.0.1, against off), each
 * served short connections (connect, a v1 header where required, GET / with Connection: close,
 * read to the end) by the same closed-loop clients in alternating rounds. The last line is
 * {@code proxy-protocol / off: <ratio> connections/s}.
 *
 * <p>Args: {@code [clients seconds-per-round rounds]}.
 */
public final class ProxyProtocolCost {

    private ProxyProtocolCost() {
    }

    public static void main(String[] args) throws Exception {
        int clients = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        Path dir = Files.createTempDirectory("muxgate-pp-bench");
        ProxyProtocolConfig required = new ProxyProtocolConfig(ProxyProtocolMode.REQUIRED,
                TrustedBalancers.of(List.of("127.0.0.1")), ProxyProtocolConfig.DEFAULT_MAX_TLV_BYTES);
        try (ProxyCore off = core(dir, ProxyProtocolConfig.off()); ProxyCore on = core(dir, required)) {
            int offPort = off.listenAddress().getPort();
            int onPort = on.listenAddress().getPort();
            // Warm-up of both paths, not counted.
            run(offPort, false, clients, seconds);
            run(onPort, true, clients, seconds);
            double offTotal = 0;
            double onTotal = 0;
            for (int r = 0; r < rounds; r++) {
                double a = run(offPort, false, clients, seconds);
                double b = run(onPort, true, clients, seconds);
                offTotal += a;
                onTotal += b;
                System.out.printf("round %d: off %.0f conn/s, proxy-protocol %.0f conn/s (%.2f)%n", r + 1, a, b, b / a);
            }
            System.out.printf("proxy-protocol / off: %.2f connections/s%n", onTotal / offTotal);
        }
    }

    private static ProxyCore core(Path dir, ProxyProtocolConfig proxyProtocol) throws InterruptedException {
        AccessLogConfig log = AccessLogConfig.defaults();
        CoreConfig config = CoreConfig.defaults()
                .withListener(new ListenerConfig(true, "127.0.0.1", 0, proxyProtocol))
                .withAccessLog(new AccessLogConfig(false, dir.resolve("access.log"), log.format(), log.rotateBytes(),
                        log.rotateInterval(), log.keepFiles(), log.queueLines()));
        return ProxyCore.builder(config).threads(1).start();
    }

    /** Connections completed per second by {@code clients} closed-loop threads over {@code seconds}. */
    private static double run(int port, boolean header, int clients, int seconds) throws InterruptedException {
        byte[] request = ((header ? "PROXY TCP4 203.0.113.7 127.0.0.1 40000 " + port + "\r\n" : "")
                + "GET / HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        LongAdder done = new LongAdder();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            Thread t = new Thread(() -> {
                byte[] buf = new byte[8192];
                while (!stop.get()) {
                    try (Socket s = new Socket()) {
                        s.setSoLinger(true, 0); // no TIME_WAIT pile-up over a run
                        s.connect(new InetSocketAddress("127.0.0.1", port));
                        OutputStream out = s.getOutputStream();
                        out.write(request);
                        InputStream in = s.getInputStream();
                        while (in.read(buf) >= 0) {
                            // to the end: the core closes after the response
                        }
                        done.increment();
                    } catch (IOException e) {
                        // a reset at the end of a linger-0 close; not counted
                    }
                }
            });
            t.start();
            threads.add(t);
        }
        long start = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        for (Thread t : threads) {
            t.join();
        }
        return done.sum() / ((System.nanoTime() - start) / 1e9);
    }
}
