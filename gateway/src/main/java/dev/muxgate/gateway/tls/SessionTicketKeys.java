package dev.muxgate.gateway.tls;

import io.netty.handler.ssl.ReferenceCountedOpenSslContext;
import io.netty.handler.ssl.OpenSslSessionTicketKey;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The session ticket keys of every TLS context of the front end: made in memory and rotated, or
 * read from a key file shared by a fleet and re-read when it changes. The first key issues
 * tickets; every key listed is accepted, so a rotation never turns away a client holding a ticket
 * of the previous key. File reads and rotations run on a thread of their own, never on an event
 * loop. OpenSSL contexts only: the JDK provider keeps its own keys.
 */
public final class SessionTicketKeys implements AutoCloseable {

    /** name (16) + HMAC secret (16) + AES key (16), as OpenSSL's ticket key callback takes them. */
    static final int KEY_BYTES = 48;
    static final int MAX_KEYS = 16;

    private final SessionTicketConfig config;
    private final List<SslContext> contexts;
    private final Consumer<String> notes;
    private final SecureRandom random = new SecureRandom();
    private final ScheduledExecutorService timer;
    private final AtomicLong rotations = new AtomicLong();
    private final AtomicLong reloadFailures = new AtomicLong();
    private OpenSslSessionTicketKey current;
    private FileTime fileStamp;
    private long fileSize = -1;

    private SessionTicketKeys(SessionTicketConfig config, List<SslContext> contexts, Consumer<String> notes) {
        this.config = config;
        this.contexts = List.copyOf(contexts);
        this.notes = notes;
        this.timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "muxgate-tls-ticket-keys");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Installs the first keys on every OpenSSL context in {@code contexts} and schedules rotation
     * or reloading. Throws {@link TlsSetupException} when a key file is configured but unusable,
     * or cannot be used with the JDK provider.
     */
    public static SessionTicketKeys start(SessionTicketConfig config, TlsContexts contexts, Consumer<String> notes) {
        if (config.keyFile() != null && !contexts.provider().isOpenSsl()) {
            throw new TlsSetupException("tls.session-tickets.key-file needs the OpenSSL provider ("
                    + contexts.provider().description() + " keeps its own ticket keys)");
        }
        SessionTicketKeys keys = new SessionTicketKeys(config, contexts.all(), notes);
        if (!config.enabled() || !contexts.provider().isOpenSsl()) {
            keys.timer.shutdown();
            return keys;
        }
        try {
            if (config.keyFile() != null) {
                keys.reload(true);
                keys.timer.scheduleWithFixedDelay(keys.guarded(() -> keys.reload(false)),
                        config.reloadInterval().toMillis(), config.reloadInterval().toMillis(), TimeUnit.MILLISECONDS);
            } else {
                keys.rotate();
                keys.timer.scheduleAtFixedRate(keys.guarded(keys::rotate), config.rotateInterval().toMillis(),
                        config.rotateInterval().toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (RuntimeException e) {
            keys.close();
            throw e;
        }
        return keys;
    }

    /**
     * A scheduled task that throws is never run again: the keys would silently stop rotating. Say
     * why, count it, and keep the schedule.
     */
    private Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                reloadFailures.incrementAndGet();
                notes.accept("tls.session-tickets: keeping the previous keys: " + e);
            }
        };
    }

    /**
     * The keys of a key file: one base64 48-byte key per line (blank lines and {@code #} comments
     * skipped), the first issuing tickets. Throws a {@link TlsSetupException} naming the line.
     */
    public static List<OpenSslSessionTicketKey> read(Path file) {
        List<String> lines;
        try {
            if (Files.size(file) > 64 * 1024) {
                throw new TlsSetupException(file + ": too large for a ticket key file (over 64 KiB)");
            }
            lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new TlsSetupException(file + ": cannot read the ticket key file: " + e.getMessage(), e);
        }
        List<OpenSslSessionTicketKey> keys = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            byte[] raw;
            try {
                raw = Base64.getDecoder().decode(line);
            } catch (IllegalArgumentException e) {
                throw new TlsSetupException(file + ":" + (i + 1) + ": not base64: " + e.getMessage());
            }
            if (raw.length != KEY_BYTES) {
                throw new TlsSetupException(file + ":" + (i + 1) + ": a ticket key is " + KEY_BYTES
                        + " bytes (base64 of name, HMAC secret and AES key, 16 each), got " + raw.length
                        + "; make one with: openssl rand -base64 48");
            }
            keys.add(key(raw));
            if (keys.size() > MAX_KEYS) {
                throw new TlsSetupException(file + ": more than " + MAX_KEYS + " ticket keys");
            }
        }
        if (keys.isEmpty()) {
            throw new TlsSetupException(file + ": no ticket key in the file; make one with: openssl rand -base64 48");
        }
        return keys;
    }

    private static OpenSslSessionTicketKey key(byte[] raw) {
        return new OpenSslSessionTicketKey(Arrays.copyOfRange(raw, 0, 16), Arrays.copyOfRange(raw, 16, 32),
                Arrays.copyOfRange(raw, 32, 48));
    }

    /** A new in-memory key issues tickets; the one before it is still accepted. */
    synchronized void rotate() {
        byte[] raw = new byte[KEY_BYTES];
        random.nextBytes(raw);
        OpenSslSessionTicketKey fresh = key(raw);
        install(current == null ? List.of(fresh) : List.of(fresh, current));
        current = fresh;
        rotations.incrementAndGet();
    }

    /** Re-reads the key file when it changed; a bad file keeps the keys in use, and says why. */
    synchronized void reload(boolean first) {
        Path file = config.keyFile();
        try {
            FileTime stamp = Files.getLastModifiedTime(file);
            long size = Files.size(file);
            if (!first && stamp.equals(fileStamp) && size == fileSize) {
                return;
            }
            List<OpenSslSessionTicketKey> keys = read(file);
            install(keys);
            fileStamp = stamp;
            fileSize = size;
            if (!first) {
                rotations.incrementAndGet();
                notes.accept("tls.session-tickets: " + keys.size() + " key(s) reloaded from " + file);
            }
        } catch (IOException | TlsSetupException e) {
            if (first) {
                throw e instanceof TlsSetupException t ? t
                        : new TlsSetupException(file + ": cannot read the ticket key file: " + e.getMessage(), e);
            }
            reloadFailures.incrementAndGet();
            notes.accept("tls.session-tickets: keeping the previous keys: " + e.getMessage());
            // Looked at again only once the file changes anew.
            try {
                fileStamp = Files.getLastModifiedTime(file);
                fileSize = Files.size(file);
            } catch (IOException gone) {
                fileStamp = null;
            }
        }
    }

    private void install(List<OpenSslSessionTicketKey> keys) {
        OpenSslSessionTicketKey[] array = keys.toArray(new OpenSslSessionTicketKey[0]);
        for (SslContext context : contexts) {
            if (context instanceof ReferenceCountedOpenSslContext openSsl) {
                openSsl.sessionContext().setTicketKeys(array);
            }
        }
    }

    /**
     * After a configuration reload built new contexts: with keys made in memory and the same
     * settings, the new contexts issue and accept tickets with {@code previous}'s key, so clients
     * that hold a ticket from before the reload still resume. (With a key file both read the same
     * keys and nothing is needed.) Rotation goes on from that key.
     */
    public void continueFrom(SessionTicketKeys previous) {
        if (!config.enabled() || config.keyFile() != null || !config.equals(previous.config)) {
            return;
        }
        OpenSslSessionTicketKey carried = previous.currentKey();
        synchronized (this) {
            if (carried == null || current == null) {
                return;
            }
            install(List.of(carried));
            current = carried;
        }
    }

    private synchronized OpenSslSessionTicketKey currentKey() {
        return current;
    }

    /** Key changes so far (rotations, and key file reloads after the first read). */
    public long rotations() {
        return rotations.get();
    }

    /** Key file reloads refused (the previous keys stayed). */
    public long reloadFailures() {
        return reloadFailures.get();
    }

    /** One line for the start-up output. */
    public String describe() {
        if (!config.enabled()) {
            return "TLS session tickets off";
        }
        if (contexts.stream().noneMatch(ReferenceCountedOpenSslContext.class::isInstance)) {
            return "TLS session tickets by the JDK provider's own keys";
        }
        return config.keyFile() != null
                ? "TLS session tickets with keys from " + config.keyFile() + " (checked every "
                        + config.reloadInterval().toSeconds() + " s)"
                : "TLS session tickets with keys made in memory, rotated every " + config.rotateInterval().toMinutes()
                        + " min";
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
