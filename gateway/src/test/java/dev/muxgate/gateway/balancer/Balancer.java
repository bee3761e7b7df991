package dev.muxgate.gateway.balancer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real L4 balancer (HAProxy or nginx's stream module, from Debian) started for one test with a
 * config file of its own on free loopback ports, in the foreground, never the system service.
 */
final class Balancer implements AutoCloseable {

    private final Process process;
    private final Path log;

    private Balancer(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static boolean installed(String command) {
        for (String dir : List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin")) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    /**
     * HAProxy in TCP mode: each {@code listen -> target} pair forwards with {@code send-proxy-v2},
     * and a CRC32C TLV in every header, a type the gateway does not use and must skip.
     */
    static Balancer haproxy(Path dir, int[][] listenToTarget) throws IOException, InterruptedException {
        StringBuilder cfg = new StringBuilder("""
                global
                    maxconn 256
                defaults
                    mode tcp
                    timeout connect 5s
                    timeout client 30s
                    timeout server 30s
                """);
        for (int i = 0; i < listenToTarget.length; i++) {
            cfg.append("listen gw").append(i).append('\n')
                    .append("    bind 127.0.0.1:").append(listenToTarget[i][0]).append('\n')
                    .append("    server gateway 127.0.0.1:").append(listenToTarget[i][1]).append(" send-proxy-v2 proxy-v2-options crc32c\n");
        }
        Path file = dir.resolve("haproxy.cfg");
        Files.writeString(file, cfg);
        Path log = dir.resolve("haproxy.out");
        Process p = new ProcessBuilder("haproxy", "-db", "-f", file.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return started(p, log, listenToTarget);
    }

    /** nginx's stream module: each {@code listen -> target} pair forwards with {@code proxy_protocol on} (v1). */
    static Balancer nginxStream(Path dir, int[][] listenToTarget) throws IOException, InterruptedException {
        StringBuilder cfg = new StringBuilder("""
                load_module /usr/lib/nginx/modules/ngx_stream_module.so;
                worker_processes 1;
                error_log %s/nginx-error.log warn;
                pid %s/nginx.pid;
                events { worker_connections 256; }
                stream {
                """.formatted(dir, dir));
        for (int[] pair : listenToTarget) {
            cfg.append("    server {\n")
                    .append("        listen 127.0.0.1:").append(pair[0]).append(";\n")
                    .append("        proxy_pass 127.0.0.1:").append(pair[1]).append(";\n")
                    .append("        proxy_protocol on;\n")
                    .append("    }\n");
        }
        cfg.append("}\n");
        Path file = dir.resolve("nginx.conf");
        Files.writeString(file, cfg);
        Path log = dir.resolve("nginx.out");
        Process p = new ProcessBuilder("nginx", "-p", dir.toString(), "-c", file.toString(), "-g", "daemon off;")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return started(p, log, listenToTarget);
    }

    private static Balancer started(Process p, Path log, int[][] listenToTarget) throws IOException, InterruptedException {
        Balancer b = new Balancer(p, log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        for (int[] pair : listenToTarget) {
            while (!accepts(pair[0])) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    b.close();
                    throw new IOException("balancer did not start: " + b.output());
                }
                Thread.sleep(50);
            }
        }
        return b;
    }

    /**
     * Whether the port is taken, told by failing to bind it rather than by connecting: a connection
     * would go through the balancer to the gateway and be counted there.
     */
    private static boolean accepts(int port) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress("127.0.0.1", port), 1);
            return false;
        } catch (IOException taken) {
            return true;
        }
    }

    /**
     * Two distinct loopback ports free now (the balancer binds them a moment later): both held
     * while the second is chosen, since a port closed may be handed out again at once.
     */
    static int[] twoFreePorts() throws IOException {
        java.net.InetAddress loopback = java.net.InetAddress.getByName("127.0.0.1");
        try (ServerSocket a = new ServerSocket(0, 1, loopback); ServerSocket b = new ServerSocket(0, 1, loopback)) {
            return new int[] {a.getLocalPort(), b.getLocalPort()};
        }
    }

    String output() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
