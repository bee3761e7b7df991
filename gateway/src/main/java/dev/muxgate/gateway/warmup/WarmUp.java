package dev.muxgate.gateway.warmup;

import dev.muxgate.gateway.Gateway;
import dev.muxgate.gateway.GatewayConfig;
import dev.muxgate.gateway.admin.AdminConfig;
import dev.muxgate.gateway.session.SessionLogConfig;
import dev.muxgate.httpcore.balancer.ProxyProtocolConfig;
import dev.muxgate.httpcore.config.AccessLogConfig;
import dev.muxgate.httpcore.config.CoreConfig;
import dev.muxgate.httpcore.config.ListenerConfig;
import dev.muxgate.httpcore.config.RemapRule;
import dev.muxgate.httpcore.origin.Transport;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * Warms the JIT before the real listeners open, so that a restarted gateway meets its first
 * clients with compiled code instead of an interpreter sharing the core with the compiler.
 *
 * <p>It starts a throwaway gateway from the real configuration (same TLS certificates and
 * provider, same limits, same code paths) on loopback ports, with no logs, no metrics endpoint
 * and no real origin: the copy proxies to its own plain listener, which serves the built-in demo
 * origin, so requests run the whole way (TLS, HTTP/2, plugin connection, core, TCP origin pool)
 * and no configured origin ever sees warm-up traffic. Then it stops the copy and reports.
 */
public final class WarmUp {

    /** Sessions and streams of the warm-up load: a front door's usual shape, many streams per session. */
    private static final int CONNECTIONS = 8;
    private static final int STREAMS_PER_CONNECTION = 16;

    private WarmUp() {
    }

    /**
     * Rounds of load, each followed by a pause for the JIT: on a gateway pinned to one core the
     * compiler threads share it with the load, and without the pauses most hot methods were still
     * at the profiling tier when the listeners opened (measured: 932 methods at C2, 4,551 at C1
     * with full profiling after 19,000 requests in 25 s).
     */
    private static final int ROUNDS = 4;
    private static final int HANDSHAKES_AT_ONCE = 16;
    private static final Duration MAX_JIT_PAUSE = Duration.ofSeconds(5);

    /** What a warm-up did, for the start-up report. */
    public record Report(long completed, long failed, int rounds, int sessions, Duration took, Duration compiling) {
        public String describe() {
            double seconds = Math.max(took.toNanos(), 1) / 1e9;
            return String.format("warm-up: %d requests in %d rounds, %d sessions, %.1f s (JIT %.1f s)%s", completed,
                    rounds, sessions, seconds, compiling.toMillis() / 1e3, failed == 0 ? "" : ", " + failed + " failed");
        }
    }

    public static Report run(GatewayConfig real) throws InterruptedException, IOException {
        WarmUpConfig warmUp = real.warmUp();
        long start = System.nanoTime();
        long deadline = start + warmUp.maxTime().toNanos();
        JitActivity jit = new JitActivity();
        long jitBefore = jit.totalMillis();
        int originPort = freeLoopbackPort();
        Transport transport = Transport.detect();
        EventLoopGroup clientLoop = transport.newGroup(1, "muxgate-warmup-client");
        try (Gateway copy = Gateway.start(copyOf(real, originPort))) {
            long completed = 0;
            long failed = 0;
            int rounds = 0;
            int handshakes = 0;
            int perRound = Math.max(1, warmUp.requests() / ROUNDS);
            while (completed < warmUp.requests() && failed < warmUp.requests() && System.nanoTime() < deadline) {
                WarmUpClient client = new WarmUpClient(clientLoop, copy.tlsAddress(), CONNECTIONS,
                        STREAMS_PER_CONNECTION, ClientShape.of(rounds));
                int budget = (int) Math.min(perRound, warmUp.requests() - completed);
                WarmUpClient.Outcome outcome = client.run(budget, deadline - System.nanoTime());
                completed += outcome.completed();
                failed += outcome.failed();
                // New sessions, one request each, so the handshake and session set-up are compiled too:
                // the load above opens only a few sessions (see WarmUpConfig.DEFAULT_HANDSHAKES).
                int due = handshakesBy(warmUp.handshakes(), rounds);
                for (int i = 0; handshakes < due && System.nanoTime() < deadline; i++) {
                    int batch = Math.min(HANDSHAKES_AT_ONCE, due - handshakes);
                    WarmUpClient.Outcome brief = new WarmUpClient(clientLoop, copy.tlsAddress(), batch, 1,
                            ClientShape.of(i)).run(batch, deadline - System.nanoTime());
                    // Counted as sessions, not against the request budget.
                    failed += brief.failed();
                    handshakes += batch;
                }
                rounds++;
                if (outcome.completed() == 0) {
                    break;
                }
                jit.awaitQuiet(Math.min(MAX_JIT_PAUSE.toNanos(), deadline - System.nanoTime()));
            }
            return new Report(completed, failed, rounds, handshakes + rounds * CONNECTIONS,
                    Duration.ofNanos(System.nanoTime() - start), Duration.ofMillis(jit.totalMillis() - jitBefore));
        } catch (SSLException e) {
            throw new IOException("warm-up client TLS: " + e.getMessage(), e);
        } finally {
            clientLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
        }
    }

    /**
     * How many of {@code total} brief sessions are due by the end of round {@code round} (from 0):
     * a {@code ROUNDS}-th more each round, the last one making up the remainder, so every configured
     * handshake is made however the total divides.
     */
    static int handshakesBy(int total, int round) {
        return (int) ((long) total * Math.min(round + 1, ROUNDS) / ROUNDS);
    }

    /** The real configuration on loopback ports, logs and admin off, proxying to its own demo origin. */
    static GatewayConfig copyOf(GatewayConfig real, int originPort) {
        AccessLogConfig log = real.core().accessLog();
        CoreConfig core = real.core()
                .withListener(new ListenerConfig(true, "127.0.0.1", originPort))
                .withRemap(List.of(
                        // The second hop arrives with Host 127.0.0.1:port and is answered by the demo.
                        // The hop over TCP matters: with the demo alone, the origin side of the
                        // first real requests was still interpreted (292 against 516 us of CPU per
                        // request over the first 5,000 after start, measured here).
                        new RemapRule("127.0.0.1", "/", RemapRule.DEMO_TARGET),
                        new RemapRule(RemapRule.ANY_HOST, "/", URI.create("http://127.0.0.1:" + originPort + "/"))))
                .withAccessLog(new AccessLogConfig(false, log.path(), log.format(), log.rotateBytes(),
                        log.rotateInterval(), log.keepFiles(), log.queueLines()));
        SessionLogConfig session = real.sessionLog();
        return real.withCore(core)
                // Its load client connects straight, with no balancer's header in front.
                .withTls(real.tls().withListener("127.0.0.1", 0).withProxyProtocol(ProxyProtocolConfig.off()))
                .withSessionLog(new SessionLogConfig(false, session.path(), session.rotateBytes(),
                        session.rotateInterval(), session.keepFiles(), session.queueLines()))
                .withAdmin(new AdminConfig(false, AdminConfig.DEFAULT_HOST, 0))
                .withShutdownGrace(Duration.ZERO)
                .withWarmUp(WarmUpConfig.off());
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }
}
