package dev.muxgate.gateway.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muxgate.httpcore.config.LogSyntax;
import dev.muxgate.httpcore.config.SyslogConfig;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The session log delivered to syslog too: the file's JSON line as an RFC 5424 message, MSGID {@code session}. */
@Timeout(30)
class SessionLogSyslogTest {

    @TempDir
    Path dir;

    @Test
    void anEndedSessionReachesTheFileAndTheSyslogServer() throws Exception {
        try (DatagramSocket server = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            server.setSoTimeout(20_000);
            Path file = dir.resolve("session.log");
            SessionLog log = SessionLog.open(new SessionLogConfig(true, file, 0, Duration.ZERO, 0, 64, LogSyntax.JSON,
                    new SyslogConfig(true, "127.0.0.1", server.getLocalPort(), false, 23, "gw", 64)));
            log.log(new SessionRecord(1000, 3, "h2", "192.0.2.1", 1, null, null, null, 7, 1, 2, 3, "closed", false));
            byte[] buf = new byte[4096];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            server.receive(p);
            log.close();
            String message = new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
            String line = Files.readAllLines(file).get(0);
            assertTrue(message.startsWith("<190>1 "), message);
            assertTrue(message.matches("<190>1 \\S+ \\S+ gw \\d+ session - .*"), message);
            assertEquals(line, message.substring(message.indexOf(" session - ") + " session - ".length()));
        }
    }
}
