package dev.muxgate.logtools;

import dev.muxgate.httpcore.config.AccessLogConfig;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * The run {@code bin/muxgate-logs} trains the JVM's start-up archive with, once per build: every
 * command over a generated access log and session log in the gateway's default formats, output
 * thrown away. The archive then holds the classes a report loads (a class data archive on JDK 17)
 * and, on JDK 25 and later, the method profiles of the line parser, so its compiled code comes
 * sooner in a real run (an AOT cache, JEP 483 and 515). A one-gigabyte report is over in two or
 * three seconds, so the part of a run before the parser is compiled is a large part of it.
 *
 * <p>The generated lines are the writer's shape, not any benchmark's file: several protocols,
 * sessions of one to a few thousand streams interleaved, untagged lines and a few malformed ones.
 * With a gateway config as its argument it also reads the format from that config, as a report
 * run beside {@code conf/gateway.yaml} does. Exits 0 when every command ran as expected, 1
 * otherwise (so the script drops an archive trained on a failure).
 */
final class TrainingRun {

    private static final int LINES = 200_000;
    private static final int ACTIVE = 512;
    private static final String[] PROTOCOLS = {"h2", "h2", "spdy/3.1", "http/1.1"};
    private static final int[] STATUSES = {200, 200, 200, 204, 301, 304, 404, 500, 0};

    private TrainingRun() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Files.createTempDirectory("muxgate-logs-training");
        try {
            Path access = dir.resolve("access.log");
            Path sessions = dir.resolve("session.log");
            write(access, sessions);
            String a = access.toString();
            String s = sessions.toString();
            String format = "--format=" + AccessLogConfig.DEFAULT_FORMAT;
            boolean ok = run("summary", format, a) == Main.EXIT_OK
                    && run("summary", format, "--output", "json", a) == Main.EXIT_OK
                    && run("sessions", format, "--top", "20", a) == Main.EXIT_OK
                    && run("timeline", format, a) == Main.EXIT_OK
                    // The generated session log leaves some sessions out on purpose: they disagree.
                    && run("correlate", format, "--sessions", s, a) == Main.EXIT_DISAGREE
                    // The format from a gateway config, as a run beside conf/gateway.yaml reads it.
                    && (args.length == 0 || run("summary", "--config", args[0], a) == Main.EXIT_OK);
            System.exit(ok ? 0 : 1);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static int run(String... args) {
        PrintWriter sink = new PrintWriter(Writer.nullWriter());
        return Main.run(args, InputStream.nullInputStream(), sink, sink);
    }

    /** Sessions interleaved as on a busy gateway; every tenth ended session has no session line. */
    private static void write(Path access, Path sessions) throws IOException {
        SplittableRandom random = new SplittableRandom(17);
        String[] protocol = new String[ACTIVE];
        long[] id = new long[ACTIVE];
        long[] left = new long[ACTIVE];
        long[] streams = new long[ACTIVE];
        String[] client = new String[ACTIVE];
        long nextId = 1;
        long millis = 1_760_000_000_000L;
        try (BufferedWriter out = Files.newBufferedWriter(access, StandardCharsets.ISO_8859_1);
             BufferedWriter sessionOut = Files.newBufferedWriter(sessions, StandardCharsets.ISO_8859_1)) {
            for (int slot = 0; slot < ACTIVE; slot++) {
                nextId = open(random, slot, nextId, protocol, id, left, client);
            }
            StringBuilder line = new StringBuilder(160);
            for (int n = 0; n < LINES; n++) {
                millis += random.nextInt(4);
                int status = STATUSES[random.nextInt(STATUSES.length)];
                line.setLength(0);
                line.append(millis / 1000).append('.').append(String.format("%03d", millis % 1000))
                        .append(' ').append(random.nextInt(900)).append(' ');
                if (n % 997 == 0) {
                    line.append("192.0.2.7 - 0 ");
                } else {
                    int slot = random.nextInt(ACTIVE);
                    line.append(client[slot]).append(' ').append(protocol[slot]).append(' ').append(id[slot]).append(' ');
                    streams[slot]++;
                    if (--left[slot] == 0) {
                        if (id[slot] % 10 != 0) {
                            sessionOut.write(String.format("%d.%03d %d %s %s 40000 www.example.com TLSv1.3 "
                                            + "TLS_AES_128_GCM_SHA256 %d %d 900 90000 closed - -\n",
                                    millis / 1000, millis % 1000, id[slot], protocol[slot], client[slot],
                                    random.nextInt(60_000), streams[slot]));
                        }
                        streams[slot] = 0;
                        nextId = open(random, slot, nextId, protocol, id, left, client);
                    }
                }
                line.append(random.nextBoolean() ? "GET" : "POST").append(" https://www.example.com/item/")
                        .append(random.nextInt(5000)).append(' ').append(status).append(' ')
                        .append(random.nextInt(100_000)).append(' ').append(status == 0 ? "-" : Integer.toString(status))
                        .append(" origin-").append((char) ('a' + random.nextInt(3))).append('\n');
                if (n % 20_011 == 0) {
                    // A line the writer never writes: the malformed-line path is trained too.
                    line.insert(0, "\t");
                }
                out.append(line);
            }
        }
    }

    private static long open(SplittableRandom random, int slot, long nextId, String[] protocol, long[] id,
                             long[] left, String[] client) {
        protocol[slot] = PROTOCOLS[random.nextInt(PROTOCOLS.length)];
        id[slot] = nextId;
        left[slot] = protocol[slot].equals("http/1.1") ? 1 + random.nextInt(4)
                : Math.max(1, (long) Math.exp(random.nextDouble() * Math.log(3000)));
        client[slot] = "10." + random.nextInt(256) + "." + random.nextInt(256) + "." + (1 + random.nextInt(254));
        return nextId + 1;
    }
}
