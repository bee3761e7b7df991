package dev.muxgate.gateway;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code muxgate --config FILE} as a real process (signals, pid file and all), with its output
 * kept line by line so a test can wait for what it says.
 */
final class GatewayProcess implements AutoCloseable {

    private static final Pattern TLS_PORT = Pattern.compile("TLS listener on 127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern ADMIN_PORT = Pattern.compile("admin on 127\\.0\\.0\\.1:(\\d+)");

    final Process process;
    final List<String> output = new CopyOnWriteArrayList<>();

    private GatewayProcess(Process process) {
        this.process = process;
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    output.add(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "gateway-output");
        reader.setDaemon(true);
        reader.start();
    }

    static GatewayProcess start(Path config) throws IOException, InterruptedException {
        GatewayProcess gateway = new GatewayProcess(new ProcessBuilder(java(Main.class.getName(), "--config",
                config.toString())).redirectErrorStream(true).start());
        gateway.awaitLine("ready", Duration.ofSeconds(60));
        return gateway;
    }

    /** {@code java -cp <the test classpath> args...}. */
    static List<String> java(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path")));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Runs {@code muxgate <command> --config FILE} to its end; the exit status and output. */
    static ControlResult control(String command, Path config) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(java(Main.class.getName(), command, "--config", config.toString()))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("muxgate " + command + " did not end");
        }
        return new ControlResult(p.exitValue(), out);
    }

    record ControlResult(int exit, String output) {
    }

    int tlsPort() {
        return port(TLS_PORT);
    }

    int adminPort() {
        return port(ADMIN_PORT);
    }

    private int port(Pattern pattern) {
        for (String line : output) {
            Matcher m = pattern.matcher(line);
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
        }
        throw new AssertionError("no line matching " + pattern + " in " + output);
    }

    /** The first line (from {@code from} on) that contains {@code text}, once it is printed. */
    String awaitLine(String text, Duration limit) throws InterruptedException {
        return awaitLine(text, 0, limit);
    }

    String awaitLine(String text, int from, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            List<String> seen = List.copyOf(output);
            for (int i = from; i < seen.size(); i++) {
                if (seen.get(i).contains(text)) {
                    return seen.get(i);
                }
            }
            if (System.nanoTime() > deadline || !process.isAlive() && seen.size() == output.size()) {
                throw new AssertionError("the gateway never printed \"" + text + "\"; it printed:\n"
                        + String.join("\n", seen));
            }
            Thread.sleep(20);
        }
    }

    /** Sends a signal by name ({@code HUP}, {@code USR1}) straight to the process. */
    void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-s", name, Long.toString(process.pid())).start();
        if (kill.waitFor() != 0) {
            throw new AssertionError("kill -s " + name + " failed");
        }
    }

    /** SIGTERM, then the exit status. */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            throw new AssertionError("the gateway did not stop");
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
