package dev.muxgate.gateway.h2;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a third-party client (curl, nghttp, h2load, openssl) with a hard deadline: output goes to
 * files so a chatty tool can never block on a full pipe, and on the deadline the tool and every
 * process it started are killed.
 */
final class Tool {

    record Result(int exit, String stdout, String stderr) {
        String all() {
            return "exit " + exit + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
        }
    }

    private Tool() {
    }

    static boolean installed(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                return true;
            }
        }
        return false;
    }

    static Result run(Path workDir, int timeoutSeconds, String... command) throws IOException, InterruptedException {
        Path out = Files.createTempFile(workDir, "tool", ".out");
        Path err = Files.createTempFile(workDir, "tool", ".err");
        Process p = new ProcessBuilder(List.of(command))
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        try {
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                throw new AssertionError(command[0] + " did not end within " + timeoutSeconds + " s: "
                        + String.join(" ", command) + "\n" + Files.readString(err, StandardCharsets.UTF_8));
            }
        } finally {
            if (p.isAlive()) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    static List<String> curl(String... args) {
        List<String> cmd = new ArrayList<>(List.of("curl", "-k", "-sS", "--max-time", "60"));
        cmd.addAll(List.of(args));
        return cmd;
    }
}
