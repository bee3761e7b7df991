package dev.muxgate.gateway.h2;

import static dev.muxgate.gateway.h2.H2Gateway.PIID;
import static dev.muxgate.gateway.h2.H2Gateway.PITAG;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** curl against a fresh gateway per test: h2 and http/1.1 over TLS, session numbers, request bodies. */
@Timeout(90)
class CurlOverTlsTest {

    @TempDir
    Path dir;

    private H2Gateway gw;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(Tool.installed("curl"), "curl is installed by bin/test-setup");
        gw = H2Gateway.start(dir);
    }

    @AfterEach
    void stop() {
        if (gw != null) {
            gw.close();
        }
    }

    private Tool.Result curl(String... args) throws Exception {
        return Tool.run(dir, 70, Tool.curl(args).toArray(new String[0]));
    }

    @Test
    void curlGetsTheDemoPageOverH2AndEachSessionHasTheNextNumber() throws Exception {
        Tool.Result first = curl("--http2", "-w", "\n%{http_version} %{http_code}", gw.url("/"));
        assertEquals(0, first.exit(), first.all());
        assertTrue(first.stdout().contains("<h1>muxgate</h1>"), first.all());
        assertTrue(first.stdout().endsWith("\n2 200"), first.all());
        List<String[]> lines = gw.awaitLines(1);
        assertEquals("h2", lines.get(0)[PITAG], H2Gateway.show(lines));
        assertEquals("1", lines.get(0)[PIID], H2Gateway.show(lines));
        assertEquals("GET", lines.get(0)[H2Gateway.METHOD]);
        assertEquals("200", lines.get(0)[H2Gateway.PSSC]);
        assertEquals("127.0.0.1", lines.get(0)[2]);

        Tool.Result second = curl("--http2", "-o", "/dev/null", "-w", "%{http_version}", gw.url("/bytes/100"));
        assertEquals("2", second.stdout(), second.all());
        lines = gw.awaitLines(2);
        assertEquals("h2", lines.get(1)[PITAG]);
        assertEquals("2", lines.get(1)[PIID], H2Gateway.show(lines));
        assertEquals("100", lines.get(1)[H2Gateway.PSQL]);
    }

    @Test
    void postWithContentLengthIsEchoed() throws Exception {
        Tool.Result r = curl("--http2", "--data-binary", "hello h2", "-w", "\n%{http_version}", gw.url("/echo"));
        assertEquals(0, r.exit(), r.all());
        assertTrue(r.stdout().contains("content-length: 8"), r.all());
        assertTrue(r.stdout().endsWith("hello h2\n2"), r.all());
    }

    @Test
    void postWithoutContentLengthReachesTheCoreChunked() throws Exception {
        Path body = dir.resolve("body.txt");
        Files.writeString(body, "streamed without a length");
        // -T with a chunked header: curl sends DATA frames with no content-length over h2.
        Tool.Result r = curl("--http2", "-X", "POST", "-T", body.toString(), "-H", "Transfer-Encoding: chunked",
                "-w", "\n%{http_version}", gw.url("/echo"));
        assertEquals(0, r.exit(), r.all());
        String head = r.stdout().substring(0, r.stdout().indexOf("\n\n"));
        assertTrue(head.contains("transfer-encoding: chunked"), r.all());
        assertTrue(!head.contains("content-length"), r.all());
        assertTrue(r.stdout().endsWith("streamed without a length\n2"), r.all());
    }

    @Test
    void largePostIsEchoedBackIdentical() throws Exception {
        byte[] body = new byte[32 * 1024 * 1024];
        new Random(11).nextBytes(body);
        Path upload = dir.resolve("upload.bin");
        Files.write(upload, body);
        Path echoed = dir.resolve("echoed.bin");
        Tool.Result r = curl("--http2", "--data-binary", "@" + upload, "-H", "Content-Type: application/octet-stream",
                "-o", echoed.toString(), "-w", "%{http_version} %{http_code}", gw.url("/echo"));
        assertEquals(0, r.exit(), r.all());
        assertEquals("2 200", r.stdout(), r.all());
        byte[] got = Files.readAllBytes(echoed);
        int headEnd = indexOf(got, "\n\n".getBytes(StandardCharsets.US_ASCII)) + 2;
        String head = new String(got, 0, headEnd, StandardCharsets.UTF_8);
        assertTrue(head.contains("content-length: " + body.length), head);
        assertEquals(body.length, got.length - headEnd, head);
        assertArrayEquals(body, Arrays.copyOfRange(got, headEnd, got.length), "echoed body differs");
        List<String[]> lines = gw.awaitLines(1);
        assertEquals("POST", lines.get(0)[H2Gateway.METHOD]);
    }

    @Test
    void http11OverTlsIsOnePluginConnectionPerTlsConnection() throws Exception {
        List<String> args = new ArrayList<>(List.of("--http1.1", "-o", "/dev/null", "-o", "/dev/null", "-o", "/dev/null",
                "-w", "%{http_version} %{num_connects}\n", gw.url("/"), gw.url("/bytes/10"), gw.url("/status/404")));
        Tool.Result keepAlive = curl(args.toArray(new String[0]));
        assertEquals(0, keepAlive.exit(), keepAlive.all());
        assertEquals(List.of("1.1 1", "1.1 0", "1.1 0"), keepAlive.stdout().lines().toList(), keepAlive.all());
        Tool.Result another = curl("--http1.1", "-o", "/dev/null", gw.url("/"));
        assertEquals(0, another.exit(), another.all());
        List<String[]> lines = gw.awaitLines(4);
        assertEquals(4, lines.size(), H2Gateway.show(lines));
        for (String[] f : lines) {
            assertEquals("http/1.1", f[PITAG], H2Gateway.show(lines));
        }
        assertEquals(List.of("1", "1", "1", "2"), lines.stream().map(f -> f[PIID]).toList(), H2Gateway.show(lines));
        assertEquals(List.of("200", "200", "404", "200"), lines.stream().map(f -> f[H2Gateway.PSSC]).toList());
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
