package dev.muxgate.logtools;

import dev.muxgate.httpcore.log.AccessLogFormat;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Generated log lines and a way to run the CLI in-process, for the log-tools tests. */
final class LogFixtures {

    static final AccessLogFormat DEFAULT = AccessLogFormat.parse(
            "%<cqtq> %<ttms> %<chi> %<pitag> %<piid> %<cqhm> %<cquc> %<pssc> %<psql> %<sssc> %<shn>");

    private LogFixtures() {
    }

    /** One access log line in the default format. */
    static String access(long millis, String client, String tag, long id, int status, long bytes) {
        return String.format("%d.%03d 5 %s %s %d GET http://x/ %d %d %d origin",
                millis / 1000, millis % 1000, client, tag, id, status, bytes, status);
    }

    static String session(long millis, long number, String protocol, long streams) {
        return String.format("%d.%03d %d %s 127.0.0.1 5000 localhost TLSv1.3 TLS_AES_128_GCM_SHA256 10 %d 1 1 closed",
                millis / 1000, millis % 1000, number, protocol, streams);
    }

    static LogTally fold(String text) {
        return AccessLogFold.fold(DEFAULT, true, "test.log",
                new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1)));
    }

    static Path gzip(Path file, String text) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        }
        Files.write(file, bytes.toByteArray());
        return file;
    }

    /** The result of one in-process run of the CLI. */
    record Run(int status, String out, String err) {
    }

    static Run run(String... args) {
        return runWithStdin("", args);
    }

    static Run runWithStdin(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintWriter(out), new PrintWriter(err));
        return new Run(status, out.toString(), err.toString());
    }
}
