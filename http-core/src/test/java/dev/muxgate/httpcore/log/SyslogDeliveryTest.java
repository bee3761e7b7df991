package dev.muxgate.httpcore.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muxgate.httpcore.config.AccessLogConfig;
import dev.muxgate.httpcore.config.LogSyntax;
import dev.muxgate.httpcore.config.SyslogConfig;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The access log delivered to syslog as well as to its file: RFC 5424 messages over UDP and over
 * TCP with octet counting, each carrying the file's line; a dead server costs no file line.
 */
@Timeout(60)
class SyslogDeliveryTest {

    private static final Pattern RFC5424 = Pattern.compile(
            "<134>1 \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z \\S+ muxgate \\d+ access - (.*)");

    @TempDir
    Path dir;

    private AccessLogConfig config(SyslogConfig syslog) {
        return new AccessLogConfig(true, dir.resolve("access.log"), "%<cqhm> %<cquc> %<pssc>", 0, Duration.ZERO, 0,
                1024, LogSyntax.TEXT, syslog);
    }

    private static TransactionRecord record(int i) {
        return new TransactionRecord().method("GET").url("/" + i + "\u00ff").proxyStatus(200);
    }

    @Test
    void overUdpEachLineIsOneRfc5424Datagram() throws Exception {
        try (DatagramSocket server = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            server.setSoTimeout(20_000);
            AsyncAccessLogWriter log = new AsyncAccessLogWriter(config(
                    new SyslogConfig(true, "127.0.0.1", server.getLocalPort(), false, 16, "muxgate", 64)));
            for (int i = 0; i < 3; i++) {
                log.log(record(i));
            }
            List<String> got = new ArrayList<>();
            byte[] buf = new byte[9000];
            for (int i = 0; i < 3; i++) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                server.receive(p);
                got.add(new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8));
            }
            log.close();
            assertEquals(Files.readAllLines(dir.resolve("access.log")), messages(got));
            assertEquals(3, log.syslog().sent());
        }
    }

    @Test
    void overTcpMessagesAreOctetCounted() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            AsyncAccessLogWriter log = new AsyncAccessLogWriter(config(
                    new SyslogConfig(true, "127.0.0.1", server.getLocalPort(), true, 16, "muxgate", 64)));
            for (int i = 0; i < 5; i++) {
                log.log(record(i));
            }
            List<String> got = new ArrayList<>();
            try (Socket s = server.accept()) {
                s.setSoTimeout(20_000);
                DataInputStream in = new DataInputStream(s.getInputStream());
                for (int i = 0; i < 5; i++) {
                    StringBuilder length = new StringBuilder();
                    for (int c; (c = in.read()) != ' '; ) {
                        length.append((char) c);
                    }
                    byte[] message = new byte[Integer.parseInt(length.toString())];
                    in.readFully(message);
                    got.add(new String(message, StandardCharsets.UTF_8));
                }
                log.close();
            }
            assertEquals(Files.readAllLines(dir.resolve("access.log")), messages(got));
        }
    }

    @Test
    void aDeadServerCostsNoFileLine() throws Exception {
        int dead;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            dead = probe.getLocalPort();
        }
        AsyncAccessLogWriter log = new AsyncAccessLogWriter(config(
                new SyslogConfig(true, "127.0.0.1", dead, true, 16, "muxgate", 16)));
        for (int i = 0; i < 1000; i++) {
            log.log(record(i));
        }
        log.close();
        assertEquals(1000, Files.readAllLines(dir.resolve("access.log")).size());
        assertEquals(0, log.syslog().sent());
        assertEquals(1000, log.syslog().dropped(), "every undelivered message is counted");
    }

    private static List<String> messages(List<String> syslog) {
        List<String> lines = new ArrayList<>();
        for (String m : syslog) {
            var matcher = RFC5424.matcher(m);
            assertTrue(matcher.matches(), m);
            lines.add(matcher.group(1));
        }
        return lines;
    }
}
