package dev.muxgate.httpcore.log;

/**
 * Where finished transactions go. {@link #log} is called on an event loop and must never block or
 * do I/O there; implementations hand the record to a thread of their own.
 */
public interface AccessLog extends AutoCloseable {

    /** Takes ownership of the record: the caller never touches it again. */
    void log(TransactionRecord record);

    /** Lines dropped because the queue was full or the log was closed; for metrics. */
    default long droppedLines() {
        return 0;
    }

    /** Lines that could not be written and failed file operations (full disk, unwritable path). */
    default long writeErrors() {
        return 0;
    }

    /** Writes every line accepted so far, then releases the file. */
    @Override
    void close();
}
