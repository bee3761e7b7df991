package dev.muxgate.httpcore.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.muxgate.httpcore.config.AccessLogConfig;
import dev.muxgate.httpcore.config.LogSyntax;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JSON Lines access log of a real core, read back by {@code jq}: requests whose targets carry
 * bytes that are not UTF-8, control characters, quotes and backslashes still give one valid JSON
 * object per line, and the value jq reads is every byte the client sent.
 */
@Timeout(60)
class JsonLinesAccessLogTest {

    @TempDir
    Path dir;

    @Test
    void clientBytesThatAreNotUtf8GiveValidJsonThatKeepsEveryByte() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/jq")), "jq is installed by bin/test-setup");
        Path log = dir.resolve("access.jsonl");
        AccessLogConfig json = new AccessLogConfig(true, log,
                "%<cqtq> %<ttms> %<chi> %<pitag> %<piid> %<cqhm> %<cquc> %<pssc> %<psql> %<sssc> %<shn> %<crc>",
                0, Duration.ZERO, 0, 1024, LogSyntax.JSON);
        ProxyCore core = ProxyCore.builder(TestCores.demoConfig().withAccessLog(json)).threads(2).start();
        byte[] target = "/echo?q=\"\\\u00ff\u00e9%41".getBytes(StandardCharsets.ISO_8859_1);
        try {
            try (RawClient c = new RawClient(core.listenAddress())) {
                ByteArrayOutputStream request = new ByteArrayOutputStream();
                request.write("GET ".getBytes(StandardCharsets.US_ASCII));
                request.write(target);
                request.write(" HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                c.send(request.toByteArray());
                c.read();
            }
            try (RawClient c = new RawClient(core.listenAddress())) {
                // A control character in the target: refused, and still one valid line.
                c.send("GET /a\u0001b HTTP/1.1\r\nHost: a\r\n\r\n");
                c.read();
            }
        } finally {
            core.close();
        }
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        assertEquals(2, lines.size(), lines.toString());
        for (String line : lines) {
            assertTrue(line.chars().allMatch(ch -> ch >= 0x20 && ch < 0x7F), "pure printable ASCII: " + line);
        }
        // jq -e fails on anything that is not JSON; -j prints the strings' characters as UTF-8.
        String urls = jq(log, "-j", ".cquc + \"\\n\"");
        List<String> read = urls.lines().toList();
        String sent = new String(target, StandardCharsets.ISO_8859_1);
        // Matched by content, not by place: each line is written as its transaction ends, and the
        // refusal on the second connection can end before the first one's echo has.
        assertEquals(2, read.size(), urls);
        assertTrue(read.stream().anyMatch(u -> u.endsWith(sent)),
                "jq reads back each byte the client sent as the character of that number: " + read);
        assertTrue(read.stream().anyMatch(u -> u.contains("\u0001") || u.equals("null")), read.toString());
        String types = jq(log, "-c", "[(.cqtq|type), (.piid|type), (.pitag|type)]");
        assertTrue(types.startsWith("[\"number\",\"number\",\"null\"]"), types);
    }

    private static String jq(Path file, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("jq", "-e"));
        cmd.addAll(List.of(args));
        cmd.add(file.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "jq did not end");
        assertEquals(0, p.exitValue(), "jq: " + out);
        return out;
    }
}
