package dev.muxgate.httpcore.log;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts a log file's write failures and tells the operator about them on stderr, at most
 * once a minute so that a full disk does not also flood the console. Used on the writer thread
 * only; the count may be read from anywhere.
 */
final class WriteErrorReport {

    static final Duration INTERVAL = Duration.ofMinutes(1);

    private final String logName;
    private final Path path;
    private final Clock clock;
    private final PrintStream err;
    private final AtomicLong errors = new AtomicLong();
    private Instant lastReport;
    private long unreported;
    private boolean failing;

    /** {@code logName} starts every report, e.g. {@code access log}. */
    WriteErrorReport(String logName, Path path, Clock clock, PrintStream err) {
        this.logName = logName;
        this.path = path;
        this.clock = clock;
        this.err = err;
    }

    /**
     * Counts one failure; reports it unless another was reported less than a minute ago. The time
     * is read first and the count published last, so whoever sees the new count sees the decision
     * taken at the failure's own time, and its report already written.
     */
    void failed(String action, Exception cause) {
        Instant now = clock.instant();
        failing = true;
        if (lastReport != null && now.isBefore(lastReport.plus(INTERVAL))) {
            unreported++;
            errors.incrementAndGet();
            return;
        }
        String message = cause.getMessage();
        err.println("muxgate: " + logName + " " + path + ": cannot " + action + " ("
                + cause.getClass().getSimpleName() + (message == null ? "" : ": " + message) + ")"
                + (unreported > 0 ? "; " + unreported + " more failures since the last report" : "")
                + "; write errors so far: " + (errors.get() + 1) + "; will keep trying");
        lastReport = now;
        unreported = 0;
        errors.incrementAndGet();
    }

    /** Counts a line discarded because the file is known to be unusable right now. */
    void discarded() {
        errors.incrementAndGet();
        unreported++;
    }

    /** Notes that writing works again, so the operator knows the reports have ended. */
    void succeeded() {
        if (failing) {
            failing = false;
            err.println("muxgate: " + logName + " " + path + ": writing again (write errors so far: " + errors.get() + ")");
        }
    }

    long errors() {
        return errors.get();
    }
}
