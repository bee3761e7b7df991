package dev.muxgate.logtools;

import java.util.Objects;

/**
 * What the access log says about one session: streams (lines), bytes, status classes, errors,
 * first and last request time and the client. Folded one line at a time, and {@link #merge merged}
 * with the tally of the same session from another file or chunk; merging is associative and
 * commutative, so partial results may be combined in any grouping and order.
 */
final class SessionTally implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

    static final long NO_TIME_FIRST = Long.MAX_VALUE;
    static final long NO_TIME_LAST = Long.MIN_VALUE;

    long streams;
    long bytes;
    /** Lines with status 2xx, 3xx, 4xx, 5xx; index 0 counts every other status (0, 1xx, ...). */
    final long[] statusClasses = new long[5];
    /** Lines with status 0 (no response sent), also counted in {@code statusClasses[0]}. */
    long zeroStatus;
    long first = NO_TIME_FIRST;
    long last = NO_TIME_LAST;
    String client;

    void add(long lineBytes, int status, boolean hasTime, long timeMillis, String lineClient) {
        streams++;
        bytes += lineBytes;
        statusClasses[status >= 200 && status < 600 ? status / 100 - 1 : 0]++;
        if (status == 0) {
            zeroStatus++;
        }
        if (hasTime) {
            if (timeMillis < first) {
                first = timeMillis;
                if (lineClient != null) {
                    client = lineClient;
                }
            }
            last = Math.max(last, timeMillis);
        }
        if (client == null) {
            client = lineClient;
        }
    }

    /** Adds {@code other} (of the same session) into this one. */
    void merge(SessionTally other) {
        streams += other.streams;
        bytes += other.bytes;
        zeroStatus += other.zeroStatus;
        for (int i = 0; i < statusClasses.length; i++) {
            statusClasses[i] += other.statusClasses[i];
        }
        // The client seen at the earliest time wins; ties go to the smaller name, so the result
        // does not depend on the order partials are merged in.
        if (other.client != null && (client == null || other.first < first
                || (other.first == first && other.client.compareTo(client) < 0))) {
            client = other.client;
        }
        first = Math.min(first, other.first);
        last = Math.max(last, other.last);
    }

    SessionTally copy() {
        SessionTally copy = new SessionTally();
        copy.merge(this);
        return copy;
    }

    long status(int hundreds) {
        return statusClasses[hundreds - 1];
    }

    /** 5xx and status 0 (no response sent). */
    long errors() {
        return statusClasses[4] + zeroStatus;
    }

    boolean hasTime() {
        return first != NO_TIME_FIRST;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SessionTally t && streams == t.streams && bytes == t.bytes
                && java.util.Arrays.equals(statusClasses, t.statusClasses) && first == t.first && last == t.last
                && zeroStatus == t.zeroStatus && Objects.equals(client, t.client);
    }

    @Override
    public int hashCode() {
        return Objects.hash(streams, bytes, first, last, client);
    }

    @Override
    public String toString() {
        return "SessionTally{streams=" + streams + ", bytes=" + bytes + ", status=" + java.util.Arrays.toString(statusClasses)
                + ", zero=" + zeroStatus + ", first=" + first + ", last=" + last + ", client=" + client + '}';
    }
}
