package dev.muxgate.httpcore.log;

/**
 * How an {@link AsyncLineWriter} spells one record as one line of its log. Called on the writer's
 * own thread only, once per record, with a reused buffer.
 *
 * @param <T> the records of the log (a finished transaction, an ended session)
 */
@FunctionalInterface
public interface LineFormatter<T> {

    /**
     * Appends the line for {@code record} to {@code line}, without a line terminator and without
     * allocating on the way if it can help it. The line must not hold a line break (escape text
     * with {@link FieldText#escapeTo}) and should not start with {@code #}, which marks the writer's
     * own notes. A line with a line break is refused and counted as a write error.
     */
    void formatTo(StringBuilder line, T record);
}
