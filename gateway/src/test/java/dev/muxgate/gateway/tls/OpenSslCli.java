package dev.muxgate.gateway.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the {@code openssl} command line tool for fixtures and as a real TLS client. */
final class OpenSslCli {

    record Result(int exitCode, String output) {
        boolean contains(String text) {
            return output.contains(text);
        }
    }

    private OpenSslCli() {
    }

    static Result run(Path workDir, String... args) {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        if (workDir != null) {
            builder.directory(workDir.toFile());
        }
        try {
            Process process = builder.start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("openssl timed out: " + command);
            }
            return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError("cannot run openssl: " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Runs and fails the test on a non-zero exit. */
    static String ok(Path workDir, String... args) {
        Result result = run(workDir, args);
        if (result.exitCode() != 0) {
            throw new AssertionError("openssl " + String.join(" ", args) + " failed:\n" + result.output());
        }
        return result.output();
    }

    /** {@code openssl s_client} against 127.0.0.1:port with stdin at EOF, so it ends after the handshake. */
    static Result sClient(int port, String... args) {
        List<String> all = new ArrayList<>(List.of("s_client", "-connect", "127.0.0.1:" + port));
        all.addAll(List.of(args));
        return run(null, all.toArray(new String[0]));
    }

    /** A self-signed certificate for {@code cn} (also its DNS name) with a new ECDSA P-256 key. */
    static void selfSigned(Path dir, String cn, String keyFile, String certFile) {
        ok(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", keyFile, "-out", certFile, "-subj", "/CN=" + cn, "-days", "2",
                "-addext", "subjectAltName=DNS:" + cn);
    }

    /** As {@link #selfSigned}, with a new RSA 2048 key. */
    static void selfSignedRsa(Path dir, String cn, String keyFile, String certFile) {
        ok(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                "-keyout", keyFile, "-out", certFile, "-subj", "/CN=" + cn, "-days", "2",
                "-addext", "subjectAltName=DNS:" + cn);
    }
}
