package dev.muxgate.gateway.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.muxgate.httpcore.origin.Transport;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AdminServerTest {

    private static EventLoopGroup loops;

    private final GatewayMetrics metrics = new GatewayMetrics();
    private final LiveSessions sessions = new LiveSessions();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private AdminServer server;

    @BeforeAll
    static void startLoops() {
        loops = Transport.detect().newGroup(2, "admin-test");
    }

    @AfterAll
    static void stopLoops() {
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    @BeforeEach
    void startServer() throws InterruptedException {
        server = AdminServer.start(new AdminConfig(true, "127.0.0.1", 0), loops, Transport.detect(), metrics, sessions);
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    private HttpResponse<String> send(String method, String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.address().getPort() + path))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(5))
                .build();
        return client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send("GET", path);
    }

    private static String contentType(HttpResponse<?> response) {
        return response.headers().firstValue("content-type").orElse("");
    }

    /** Sends raw bytes and returns everything the server answers until it closes (or 5 s pass). */
    private String raw(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.address().getPort())) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    /** Sends raw bytes and returns the status line of the answer, leaving the connection as the server left it. */
    private String statusLine(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.address().getPort())) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int b = in.read(); b != -1 && b != '\r'; b = in.read()) {
                line.append((char) b);
            }
            return line.toString();
        }
    }

    @Test
    void listensOnLoopbackAtAnEphemeralPortWhenAskedForZero() {
        assertEquals("127.0.0.1", server.address().getAddress().getHostAddress());
        assertTrue(server.address().getPort() > 0);
    }

    @Test
    void metricsAreServedAsPrometheusText() throws Exception {
        metrics.sessionOpened("h2");
        metrics.handshakeFailed(HandshakeFailure.NO_APPLICATION_PROTOCOL);

        HttpResponse<String> response = get("/metrics");

        assertEquals(200, response.statusCode());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", contentType(response));
        assertTrue(response.body().contains("muxgate_sessions_opened_total{protocol=\"h2\"} 1.0\n"), response.body());
        assertTrue(response.body().contains("muxgate_sessions_active{protocol=\"h2\"} 1.0\n"));
        assertTrue(response.body().contains(
                "muxgate_tls_handshake_failures_total{reason=\"no_application_protocol\"} 1.0\n"));
        assertTrue(response.body().contains("# TYPE muxgate_stream_duration_seconds summary"));
        assertEquals("no-store", response.headers().firstValue("cache-control").orElse(""));
    }

    @Test
    void aScraperKeepsItsConnectionAcrossScrapes() throws Exception {
        String request = "GET /health HTTP/1.1\r\nHost: x\r\n\r\n";
        String answer = raw(request + request + "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertEquals(3, answer.split("HTTP/1.1 200 OK", -1).length - 1, answer);
    }

    @Test
    void healthIsOkUntilDrainingThenServiceUnavailable() throws Exception {
        HttpResponse<String> ok = get("/health");
        assertEquals(200, ok.statusCode());
        assertEquals("{\"status\":\"ok\"}", ok.body());
        assertEquals("application/json", contentType(ok));

        server.setDraining(true);
        HttpResponse<String> draining = get("/health");
        assertEquals(503, draining.statusCode());
        assertEquals("{\"status\":\"draining\"}", draining.body());
        assertTrue(server.draining());

        server.setDraining(false);
        assertEquals(200, get("/health").statusCode());
    }

    @Test
    void sessionsAreListedOldestFirstAsJson() throws Exception {
        long now = System.nanoTime();
        AtomicLong streams = new AtomicLong(3);
        sessions.register(LiveSession.of(42, "http/1.1", "0:0:0:0:0:0:0:1", 443,
                now - TimeUnit.SECONDS.toNanos(2), () -> 1));
        sessions.register(LiveSession.of(7, "h2", "192.0.2.10", 51000,
                now - TimeUnit.MILLISECONDS.toNanos(1500), streams::get));
        sessions.register(LiveSession.of(9, null, null, 0, now, () -> 0));

        HttpResponse<String> response = get("/sessions");

        assertEquals(200, response.statusCode());
        assertEquals("application/json", contentType(response));
        String body = response.body();
        assertEquals("[{\"number\":7,\"protocol\":\"h2\",\"client\":\"192.0.2.10:51000\",\"streams\":3,\"age_ms\":A},"
                        + "{\"number\":9,\"protocol\":null,\"client\":null,\"streams\":0,\"age_ms\":A},"
                        + "{\"number\":42,\"protocol\":\"http/1.1\",\"client\":\"[0:0:0:0:0:0:0:1]:443\",\"streams\":1,\"age_ms\":A}]",
                body.replaceAll("\"age_ms\":[0-9]+", "\"age_ms\":A"), body);
        long age = Long.parseLong(body.replaceAll(".*\"number\":42.*\"age_ms\":([0-9]+).*", "$1"));
        assertTrue(age >= 2000 && age < 60_000, body);

        sessions.unregister(9);
        assertEquals(2, get("/sessions").body().split("\"number\"", -1).length - 1);
    }

    @Test
    void sessionsTakeALimitCappedAtTenThousand() throws Exception {
        for (long n = 1; n <= 5; n++) {
            sessions.register(LiveSession.of(n, "h2", null, 0, System.nanoTime(), () -> 0));
        }
        assertEquals(List.of(1L, 2L), numbers(get("/sessions?limit=2").body()));
        assertEquals("[]", get("/sessions?limit=0").body());
        assertEquals(5, numbers(get("/sessions?limit=99999999999999").body()).size());
        assertEquals(5, numbers(get("/sessions?limit=10000").body()).size());

        HttpResponse<String> bad = get("/sessions?limit=-1");
        assertEquals(400, bad.statusCode());
        assertEquals("{\"error\":\"limit must be a whole number from 0 to 10000\"}", bad.body());
        assertEquals(400, get("/sessions?limit=ten").statusCode());
        assertEquals(400, get("/sessions?limit=").statusCode());
    }

    @Test
    void sessionsDefaultToTheFirstThousand() throws Exception {
        for (long n = 1; n <= 1005; n++) {
            sessions.register(LiveSession.of(n, "h2", null, 0, System.nanoTime(), () -> 0));
        }
        List<Long> listed = numbers(get("/sessions").body());
        assertEquals(1000, listed.size());
        assertEquals(1000L, listed.get(999));
    }

    private static List<Long> numbers(String json) {
        return java.util.regex.Pattern.compile("\"number\":(-?[0-9]+)").matcher(json).results()
                .map(m -> Long.parseLong(m.group(1))).collect(Collectors.toList());
    }

    @Test
    void sessionTextIsEscapedSoAnyJsonParserReadsItBack() throws Exception {
        String nasty = "h2\"},{\"number\":1\\\n\u0000\u2028\ud800 caf\u00e9";
        sessions.register(LiveSession.of(5, nasty, "10.0.0.1\"", 1, System.nanoTime(), () -> 0));

        String body = get("/sessions").body();

        assertTrue(body.startsWith("[{\"number\":5,\"protocol\":\"h2\\\"},{\\\"number\\\":1\\\\\\n\\u0000\\u2028\\ud800 caf\u00e9\""),
                body);
        assertEquals(1, numbers(body).size());
        assertTrue(body.contains(",\"client\":\"10.0.0.1\\\":1\","), body);
        // A real parser agrees on the exact text, code unit by code unit.
        String codes = python("import json,sys; d=json.loads(sys.stdin.buffer.read().decode('utf-8'));"
                + "s=d[0]['protocol']; print(len(d), [ord(c) for c in s])", body);
        String expected = "1 " + nasty.chars().boxed().map(String::valueOf).collect(Collectors.joining(", ", "[", "]"));
        assertEquals(expected, codes.trim());
    }

    private static String python(String program, String stdin) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder("python3", "-c", program).redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeTrue(false, "python3 is not installed");
            throw e;
        }
        try (OutputStream in = process.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(10, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), out);
        return out;
    }

    @Test
    void unknownPagesAreNotFound() throws Exception {
        for (String path : List.of("/", "/metrics/", "/metricsx", "/admin", "/sessions/1", "/%2e%2e/etc/passwd")) {
            HttpResponse<String> response = get(path);
            assertEquals(404, response.statusCode(), path);
            assertEquals("application/json", contentType(response));
            assertTrue(response.body().startsWith("{\"error\":\"no such page"), response.body());
        }
    }

    @Test
    void methodsOtherThanGetAreNotAllowed() throws Exception {
        for (String method : List.of("POST", "PUT", "DELETE", "PATCH", "OPTIONS")) {
            for (String path : List.of("/metrics", "/health", "/sessions")) {
                HttpResponse<String> response = send(method, path);
                assertEquals(405, response.statusCode(), method + " " + path);
                assertEquals("GET", response.headers().firstValue("allow").orElse(""), method + " " + path);
            }
        }
        assertEquals(404, send("POST", "/nowhere").statusCode());
    }

    @Test
    void aMalformedRequestIsRefusedAndTheConnectionClosed() throws Exception {
        String answer = raw("GET /health HTTP/1.1\r\nHost: x\r\nBad Header Name: y\r\n\r\n");
        assertTrue(answer.startsWith("HTTP/1.1 400 "), answer);
        assertTrue(answer.toLowerCase().contains("connection: close"), answer);
    }

    @Test
    void aBrokenPercentEncodingIsABadRequest() throws Exception {
        assertEquals("HTTP/1.1 400 Bad Request", statusLine("GET /sessions?limit=%zz HTTP/1.1\r\nHost: x\r\n\r\n"));
        assertEquals("HTTP/1.1 400 Bad Request", statusLine("GET /metr%c HTTP/1.1\r\nHost: x\r\n\r\n"));
        assertEquals(200, get("/health").statusCode());
    }

    @Test
    void anOversizedRequestIsRefused() throws Exception {
        assertEquals("HTTP/1.1 413 Request Entity Too Large",
                statusLine("POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n"));
        String longUri = raw("GET /metrics?" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
        assertTrue(longUri.startsWith("HTTP/1.1 4"), longUri);
    }

    @Test
    void aPortInUseIsRefusedWithTheAdminAddressInTheMessage() {
        int port = server.address().getPort();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> AdminServer.start(
                new AdminConfig(true, "127.0.0.1", port), loops, Transport.detect(), metrics, sessions));
        assertTrue(e.getMessage().startsWith("admin listener cannot listen on 127.0.0.1:" + port + ": "), e.getMessage());
    }

    @Test
    void aDisabledConfigIsNotStarted() {
        assertThrows(IllegalArgumentException.class, () -> AdminServer.start(
                new AdminConfig(false, "127.0.0.1", 0), loops, Transport.detect(), metrics, sessions));
    }

    @Test
    void closingStopsListeningAndClosesOpenConnections() throws Exception {
        int port = server.address().getPort();
        try (Socket idle = new Socket("127.0.0.1", port)) {
            idle.setSoTimeout(5000);
            assertEquals(200, get("/health").statusCode());
            server.close();
            assertEquals(-1, idle.getInputStream().read());
        }
        assertThrows(IOException.class, () -> new Socket("127.0.0.1", port).close());
    }
}
