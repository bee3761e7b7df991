import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Writes a synthetic access log of about SIZE bytes in the gateway's default format
 * ({@code %<cqtq> %<ttms> %<chi> %<pitag> %<piid> %<cqhm> %<cquc> %<pssc> %<psql> %<sssc> %<shn>}) for
 * bench/logs-vs-awk.sh: h2, http/1.1 and spdy/3.1 sessions interleaved as on a busy gateway, from 1
 * to 10,000 streams each (log-uniform), plus a few untagged lines. Run as a single-file program:
 * {@code java bench/AccessLogGen.java OUT SIZE_BYTES}. Seeded, so the same size gives the same file.
 */
public final class AccessLogGen {

    private static final String[] PROTOCOLS = {"h2", "h2", "h2", "http/1.1", "spdy/3.1"};
    private static final String[] METHODS = {"GET", "GET", "GET", "GET", "POST", "HEAD"};
    private static final String[] PATHS = {"/", "/index.html", "/api/v1/items", "/static/app.js",
            "/static/style.css", "/images/logo.png", "/api/v1/users/42", "/search?q=muxgate"};
    private static final int[] STATUSES = {200, 200, 200, 200, 200, 200, 304, 301, 404, 500, 0};
    private static final String[] ORIGINS = {"origin-a", "origin-b", "origin-c"};
    private static final int ACTIVE = 4096;

    public static void main(String[] args) throws IOException {
        String out = args[0];
        long size = Long.parseLong(args[1]);
        SplittableRandom random = new SplittableRandom(20261125);
        String[] protocol = new String[ACTIVE];
        long[] id = new long[ACTIVE];
        long[] left = new long[ACTIVE];
        String[] client = new String[ACTIVE];
        long nextId = 1;
        for (int i = 0; i < ACTIVE; i++) {
            nextId = open(random, i, nextId, protocol, id, left, client);
        }
        long millis = 1_764_000_000_000L;
        long written = 0;
        StringBuilder line = new StringBuilder(256);
        try (OutputStream os = new BufferedOutputStream(new FileOutputStream(out), 1 << 20)) {
            byte[] bytes = new byte[512];
            while (written < size) {
                millis += random.nextInt(3);
                line.setLength(0);
                line.append(millis / 1000).append('.');
                long ms = millis % 1000;
                if (ms < 100) {
                    line.append('0');
                }
                if (ms < 10) {
                    line.append('0');
                }
                line.append(ms).append(' ').append(random.nextInt(2000)).append(' ');
                int status = STATUSES[random.nextInt(STATUSES.length)];
                if (random.nextInt(1000) == 0) {
                    line.append("192.0.2.1 - 0 ");
                } else {
                    int s = random.nextInt(ACTIVE);
                    line.append(client[s]).append(' ').append(protocol[s]).append(' ').append(id[s]).append(' ');
                    if (--left[s] == 0) {
                        nextId = open(random, s, nextId, protocol, id, left, client);
                    }
                }
                line.append(METHODS[random.nextInt(METHODS.length)]).append(" https://www.example.com")
                        .append(PATHS[random.nextInt(PATHS.length)]).append(' ').append(status).append(' ')
                        .append(random.nextInt(200_000)).append(' ').append(status == 0 ? "-" : status)
                        .append(' ').append(ORIGINS[random.nextInt(ORIGINS.length)]).append('\n');
                int n = line.length();
                for (int i = 0; i < n; i++) {
                    bytes[i] = (byte) line.charAt(i);
                }
                os.write(bytes, 0, n);
                written += n;
            }
        }
    }

    private static long open(SplittableRandom random, int slot, long nextId, String[] protocol, long[] id,
                             long[] left, String[] client) {
        protocol[slot] = PROTOCOLS[random.nextInt(PROTOCOLS.length)];
        id[slot] = nextId;
        // http/1.1 connections carry a few requests; multiplexed sessions 1..10,000, log-uniform.
        left[slot] = protocol[slot].equals("http/1.1") ? 1 + random.nextInt(5)
                : Math.max(1, (long) Math.exp(random.nextDouble() * Math.log(10_000)));
        client[slot] = "10." + random.nextInt(256) + "." + random.nextInt(256) + "." + (1 + random.nextInt(254));
        return nextId + 1;
    }
}
