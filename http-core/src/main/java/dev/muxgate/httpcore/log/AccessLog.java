package dev.muxgate.httpcore.log;

/**
 * Where finished transactions go. {@link #log} is called on an event loop and must never block or
 * do I/O there; implementations hand the record to a thread of their own.
 */
public interface AccessLog extends AutoCloseable {

    /** Takes ownership of the record: the caller never touches it again. */
    void log(TransactionRecord record);

    /** Writes every line accepted so far, then releases the file. */
    @Override
    void close();
}
