package dev.muxgate.gateway.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muxgate.gateway.tls.NoApplicationProtocolException;
import dev.muxgate.httpcore.proxy.CoreStats;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.io.ByteArrayOutputStream;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class GatewayMetricsTest {

    private final GatewayMetrics metrics = new GatewayMetrics();
    private final MeterRegistry registry = metrics.registry();

    private double counter(String name, String tag, String value) {
        return registry.get(name).tag(tag, value).counter().count();
    }

    private double gauge(String name, String protocol) {
        return registry.get(name).tag("protocol", protocol).gauge().value();
    }

    @Test
    void sessionsAreCountedByProtocolAndActiveUntilTheyEnd() {
        metrics.sessionOpened("h2");
        metrics.sessionOpened("h2");
        metrics.sessionOpened("http/1.1");
        metrics.sessionEnded("h2");

        assertEquals(2, counter("muxgate.sessions.opened", "protocol", "h2"));
        assertEquals(1, counter("muxgate.sessions.ended", "protocol", "h2"));
        assertEquals(1, gauge("muxgate.sessions.active", "h2"));
        assertEquals(1, gauge("muxgate.sessions.active", "http/1.1"));
        assertEquals(0, gauge("muxgate.sessions.active", "spdy/3.1"));
    }

    @Test
    void unknownOrMissingProtocolsCountAsOther() {
        metrics.sessionOpened("h2c");
        metrics.sessionOpened(null);
        metrics.streamOpened("gopher");

        assertEquals(2, counter("muxgate.sessions.opened", "protocol", "other"));
        assertEquals(1, counter("muxgate.streams.opened", "protocol", "other"));
        assertEquals("spdy/3", GatewayMetrics.protocolTag("spdy/3"));
        assertEquals("other", GatewayMetrics.protocolTag("SPDY/3"));
    }

    @Test
    void streamsAreCountedActiveAndTimed() {
        metrics.streamOpened("spdy/3.1");
        metrics.streamOpened("spdy/3.1");
        metrics.streamClosed("spdy/3.1", TimeUnit.MILLISECONDS.toNanos(250));

        assertEquals(2, counter("muxgate.streams.opened", "protocol", "spdy/3.1"));
        assertEquals(1, gauge("muxgate.streams.active", "spdy/3.1"));
        Timer duration = registry.get("muxgate.stream.duration").tag("protocol", "spdy/3.1").timer();
        assertEquals(1, duration.count());
        assertEquals(250, duration.totalTime(TimeUnit.MILLISECONDS), 0.001);
    }

    @Test
    void handshakeFailuresAreCountedByReason() {
        metrics.handshakeFailed(new NoApplicationProtocolException(List.of("h3")));
        metrics.handshakeFailed(new DecoderException(new SslHandshakeTimeoutException("handshake timed out")));
        metrics.handshakeFailed(new DecoderException(new NotSslRecordException("not an SSL/TLS record")));
        metrics.handshakeFailed(new ClosedChannelException());
        metrics.handshakeFailed((Throwable) null);
        metrics.handshakeFailed(new SSLHandshakeException("no cipher suites in common"));
        metrics.handshakeFailed(HandshakeFailure.OTHER);

        assertEquals(1, counter("muxgate.tls.handshake.failures", "reason", "no_application_protocol"));
        assertEquals(1, counter("muxgate.tls.handshake.failures", "reason", "timeout"));
        assertEquals(1, counter("muxgate.tls.handshake.failures", "reason", "not_tls"));
        assertEquals(2, counter("muxgate.tls.handshake.failures", "reason", "closed"));
        assertEquals(2, counter("muxgate.tls.handshake.failures", "reason", "other"));
    }

    @Test
    void protocolErrorsAreCountedByKind() {
        metrics.protocolError(ProtocolError.MALFORMED_REQUEST);
        metrics.protocolError(ProtocolError.MALFORMED_REQUEST);
        metrics.protocolError(ProtocolError.RST_FLOOD);
        metrics.protocolError(ProtocolError.GOAWAY);

        assertEquals(2, counter("muxgate.protocol.errors", "kind", "malformed_request"));
        assertEquals(1, counter("muxgate.protocol.errors", "kind", "rst_flood"));
        assertEquals(1, counter("muxgate.protocol.errors", "kind", "goaway"));
        assertEquals(0, counter("muxgate.protocol.errors", "kind", "frame_flood"));
    }

    @Test
    void originLatencyIsTimedByOutcomeWithABoundedNumberOfOutcomes() {
        metrics.recordOrigin(TimeUnit.MILLISECONDS.toNanos(5), "ok");
        metrics.recordOrigin(TimeUnit.MILLISECONDS.toNanos(7), "ok");
        metrics.recordOrigin(-1, null);
        for (int i = 0; i < 100; i++) {
            metrics.recordOrigin(1000, "outcome-" + i);
        }

        Timer ok = registry.get("muxgate.origin.latency").tag("outcome", "ok").timer();
        assertEquals(2, ok.count());
        assertEquals(12, ok.totalTime(TimeUnit.MILLISECONDS), 0.001);
        assertEquals(1, registry.get("muxgate.origin.latency").tag("outcome", "unknown").timer().count());
        int outcomes = registry.get("muxgate.origin.latency").timers().size();
        assertTrue(outcomes <= GatewayMetrics.MAX_ORIGIN_OUTCOMES + 1, outcomes + " outcomes kept apart");
        assertTrue(registry.get("muxgate.origin.latency").tag("outcome", "other").timer().count() > 0);
    }

    @Test
    void theCoresLiveCountersAreReadAtScrapeTime() {
        CoreStats core = new CoreStats();
        GatewayMetrics withCore = new GatewayMetrics(core);

        MeterRegistry r = withCore.registry();
        assertEquals(0, r.get("muxgate.core.connections.open").gauge().value());
        assertEquals(0, r.get("muxgate.core.plugin.connections.open").gauge().value());
        assertEquals(0, r.get("muxgate.core.transactions.active").gauge().value());
        assertEquals(0, r.get("muxgate.core.transactions").functionCounter().count());
        assertThrows(IllegalStateException.class, () -> withCore.bindCore(core));
        assertTrue(withCore.scrape().contains("muxgate_core_transactions_total 0.0"));
    }

    @Test
    void prometheusTextCarriesEveryMetricUnderItsMuxgateName() throws Exception {
        metrics.bindCore(new CoreStats());
        metrics.bindJvmMetrics();
        metrics.sessionOpened("h2");
        metrics.streamOpened("h2");
        metrics.streamClosed("h2", 1_000_000);
        metrics.recordOrigin(2_000_000, "ok");
        metrics.handshakeFailed(HandshakeFailure.TIMEOUT);
        metrics.protocolError(ProtocolError.MALFORMED_REQUEST);

        String text = metrics.scrape();
        for (String expected : List.of(
                "muxgate_sessions_opened_total{protocol=\"h2\"} 1.0",
                "muxgate_sessions_ended_total{protocol=\"h2\"} 0.0",
                "muxgate_sessions_active{protocol=\"h2\"} 1.0",
                "muxgate_sessions_active{protocol=\"spdy/3.1\"} 0.0",
                "muxgate_streams_opened_total{protocol=\"h2\"} 1.0",
                "muxgate_streams_active{protocol=\"h2\"} 0.0",
                "muxgate_stream_duration_seconds_count{protocol=\"h2\"} 1\n",
                "muxgate_stream_duration_seconds{protocol=\"h2\",quantile=\"0.99\"}",
                "muxgate_stream_duration_seconds_max{protocol=\"h2\"}",
                "muxgate_tls_handshake_failures_total{reason=\"timeout\"} 1.0",
                "muxgate_protocol_errors_total{kind=\"malformed_request\"} 1.0",
                "muxgate_origin_latency_seconds_count{outcome=\"ok\"} 1\n",
                "muxgate_core_connections_open 0.0",
                "muxgate_core_plugin_connections_open 0.0",
                "muxgate_core_transactions_active 0.0",
                "muxgate_core_transactions_total 0.0",
                "# HELP muxgate_sessions_active Client sessions open now, by protocol",
                "jvm_memory_used_bytes")) {
            assertTrue(text.contains(expected), () -> "missing " + expected + " in:\n" + text);
        }
    }

    @Test
    void scrapingToAStreamWritesTheSameText() throws Exception {
        metrics.sessionOpened("h2");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        metrics.scrape(out);
        assertEquals(metrics.scrape(), out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void twoInstancesShareNothing() {
        GatewayMetrics other = new GatewayMetrics();
        metrics.sessionOpened("h2");
        assertEquals(0, other.registry().get("muxgate.sessions.opened").tag("protocol", "h2").counter().count());
    }
}
