package dev.muxgate.logtools;

/**
 * The sessions of one input while it is folded: per (protocol index, session id) the counters a
 * line adds to, in one row of a {@code long[]} with the key beside them, found by open addressing.
 * A line so touches one or two adjacent cache lines of one array and allocates nothing; with
 * objects per session it touched five or six, and that was a third of the time per line. Rows
 * become {@link SessionTally} objects once, when everything is read. Grows at three quarters full
 * (at half full, a 32 MiB chunk's 9,000 sessions took a table twice the size, and a 1 GiB summary
 * 15% more time with the streams-only rows below); its size follows sessions, not lines. A
 * reading thread keeps one table per input and one for all it has read, and
 * {@link #mergeInto merges} the first into the second after each input.
 *
 * <p>A table that {@link #streamsOnly() keeps only stream counts} (for reports that need no more
 * of a session: {@code summary}, {@code correlate}) has rows of four longs instead of sixteen: a
 * 32 MiB chunk's 9,000 sessions then take 512 KiB, inside a core's 1.25 MiB L2 cache, where full
 * rows spread over 4 MiB of L3. Those sessions' bytes and statuses are counted per protocol
 * instead, which is all such a report reads of them, and such a table keeps no clients.
 */
final class SessionRows {

    /** Receives each session once the input is read. */
    interface Visitor {
        void visit(int protocol, long id, SessionTally session);
    }

    // One row: 16 longs (two cache lines), or 4 when only streams are kept. Session ids are never 0
    // here, so an id of 0 is an empty row.
    private static final int FULL_ROW_SHIFT = 4;
    private static final int STREAMS_ROW_SHIFT = 2;
    private static final int ID = 0;
    private static final int PROTOCOL = 1;
    private static final int BYTES = 2;
    private static final int ZERO_STATUS = 3;
    private static final int FIRST = 4;
    private static final int LAST = 5;
    /** Five counters from here: other statuses (0, 1xx, ...), 2xx, 3xx, 4xx, 5xx, as in {@link SessionTally}. */
    private static final int STATUS = 6;
    /** 1 once {@link #clients} holds the session's client: read per line, so it lives in the row. */
    private static final int HAS_CLIENT = 11;
    private static final int STATUS_CLASSES = 5;
    /** The one counter of a streams-only row. */
    private static final int STREAMS = 2;

    private final boolean streamsOnly;
    private final int rowShift;
    /** Slots in the table: a power of two. */
    private int capacity = 1024;
    private long[] rows;
    /** Per slot, the client of the session's earliest line; null in a streams-only table. */
    private String[] clients;
    private int size;
    /** The slots in use, in the order they were made: clearing and merging visit these, not the whole table. */
    private int[] used = new int[512];

    /** A table of sessions with every counter, first and last time and client. */
    SessionRows() {
        this(false);
    }

    /** {@code streamsOnly}: sessions keep their stream count only. */
    SessionRows(boolean streamsOnly) {
        this.streamsOnly = streamsOnly;
        this.rowShift = streamsOnly ? STREAMS_ROW_SHIFT : FULL_ROW_SHIFT;
        this.rows = new long[capacity << rowShift];
        this.clients = streamsOnly ? null : new String[capacity];
    }

    /** True when sessions keep only their stream count: no bytes, statuses, times or clients. */
    boolean streamsOnly() {
        return streamsOnly;
    }

    /** The slot of the session, made when it is new. */
    int slot(int protocol, long id) {
        int mask = capacity - 1;
        int i = hash(protocol, id) & mask;
        while (true) {
            int row = i << rowShift;
            long rowId = rows[row + ID];
            if (rowId == id && rows[row + PROTOCOL] == protocol) {
                return i;
            }
            if (rowId == 0) {
                break;
            }
            i = (i + 1) & mask;
        }
        int row = i << rowShift;
        rows[row + ID] = id;
        rows[row + PROTOCOL] = protocol;
        if (!streamsOnly) {
            rows[row + FIRST] = SessionTally.NO_TIME_FIRST;
            rows[row + LAST] = SessionTally.NO_TIME_LAST;
        }
        if (size == used.length) {
            used = java.util.Arrays.copyOf(used, size * 2);
        }
        used[size] = i;
        if (++size * 4 > capacity * 3) {
            grow();
            return slot(protocol, id);
        }
        return i;
    }

    /** True when a line at {@code timeMillis} (if {@code hasTime}) would set the session's client. */
    boolean wantsClient(int slot, boolean hasTime, long timeMillis) {
        int row = slot << rowShift;
        return rows[row + HAS_CLIENT] == 0 || hasTime && timeMillis < rows[row + FIRST];
    }

    /** Adds one line to the session, as {@link SessionTally#add} does (a streams-only table counts it only). */
    void add(int slot, long lineBytes, int status, boolean hasTime, long timeMillis, String lineClient) {
        int row = slot << rowShift;
        if (streamsOnly) {
            rows[row + STREAMS]++;
            return;
        }
        rows[row + BYTES] += lineBytes;
        rows[row + STATUS + (status >= 200 && status < 600 ? status / 100 - 1 : 0)]++;
        if (status == 0) {
            rows[row + ZERO_STATUS]++;
        }
        if (hasTime) {
            if (timeMillis < rows[row + FIRST]) {
                rows[row + FIRST] = timeMillis;
                if (lineClient != null) {
                    clients[slot] = lineClient;
                    rows[row + HAS_CLIENT] = 1;
                }
            }
            if (timeMillis > rows[row + LAST]) {
                rows[row + LAST] = timeMillis;
            }
        }
        if (lineClient != null && rows[row + HAS_CLIENT] == 0) {
            clients[slot] = lineClient;
            rows[row + HAS_CLIENT] = 1;
        }
    }

    /**
     * Empties the table for the next input, keeping its size: a thread folds many chunks of about
     * the same sessions, and a table made anew per chunk (and grown again) was most of what the
     * run allocated, a garbage collection every few chunks. Only the rows in use are cleared.
     */
    void clear() {
        for (int k = 0; k < size; k++) {
            int i = used[k];
            java.util.Arrays.fill(rows, i << rowShift, (i + 1) << rowShift, 0L);
            if (clients != null) {
                clients[i] = null;
            }
        }
        size = 0;
    }

    /** Sessions in the table. */
    int size() {
        return size;
    }

    /**
     * Adds every session of this table into {@code target}, as {@link SessionTally#merge} would
     * (so the result does not depend on the order tables are merged in), then empties this one.
     * Both must number protocols alike and keep the same counters. A thread merges each input's
     * table into one of its own: per input that is one pass over its sessions' rows, with no
     * object made per session.
     */
    void mergeInto(SessionRows target) {
        mergeInto(target, null);
    }

    /**
     * As {@link #mergeInto(SessionRows)}, with this table's protocol {@code p} numbered
     * {@code protocols[p]} in {@code target} (null: numbered alike).
     */
    void mergeInto(SessionRows target, int[] protocols) {
        if (target.streamsOnly != streamsOnly) {
            throw new IllegalArgumentException("a streams-only table and a full one do not merge");
        }
        for (int k = 0; k < size; k++) {
            int i = used[k];
            int row = i << rowShift;
            int protocol = (int) rows[row + PROTOCOL];
            int t = target.slot(protocols == null ? protocol : protocols[protocol], rows[row + ID]);
            long[] to = target.rows;
            int targetRow = t << rowShift;
            if (streamsOnly) {
                to[targetRow + STREAMS] += rows[row + STREAMS];
                continue;
            }
            to[targetRow + BYTES] += rows[row + BYTES];
            to[targetRow + ZERO_STATUS] += rows[row + ZERO_STATUS];
            for (int c = 0; c < STATUS_CLASSES; c++) {
                to[targetRow + STATUS + c] += rows[row + STATUS + c];
            }
            long first = rows[row + FIRST];
            long targetFirst = to[targetRow + FIRST];
            String client = clients[i];
            String targetClient = target.clients[t];
            if (client != null && (targetClient == null || first < targetFirst
                    || (first == targetFirst && client.compareTo(targetClient) < 0))) {
                target.clients[t] = client;
                to[targetRow + HAS_CLIENT] = 1;
            }
            to[targetRow + FIRST] = Math.min(targetFirst, first);
            to[targetRow + LAST] = Math.max(to[targetRow + LAST], rows[row + LAST]);
        }
        clear();
    }

    /** Each session as a {@link SessionTally} (with its streams only, if so kept), in the order the sessions were first seen. */
    void forEach(Visitor visitor) {
        for (int k = 0; k < size; k++) {
            int i = used[k];
            int row = i << rowShift;
            SessionTally session = new SessionTally();
            if (streamsOnly) {
                session.streams = rows[row + STREAMS];
                visitor.visit((int) rows[row + PROTOCOL], rows[row + ID], session);
                continue;
            }
            for (int c = 0; c < session.statusClasses.length; c++) {
                session.statusClasses[c] = rows[row + STATUS + c];
                // Every line is counted in exactly one status class.
                session.streams += rows[row + STATUS + c];
            }
            session.bytes = rows[row + BYTES];
            session.zeroStatus = rows[row + ZERO_STATUS];
            session.first = rows[row + FIRST];
            session.last = rows[row + LAST];
            session.client = clients[i];
            visitor.visit((int) rows[row + PROTOCOL], rows[row + ID], session);
        }
    }

    private static int hash(int protocol, long id) {
        long h = (id ^ ((long) protocol << 56)) * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }

    private void grow() {
        long[] oldRows = rows;
        String[] oldClients = clients;
        capacity *= 2;
        rows = new long[capacity << rowShift];
        clients = streamsOnly ? null : new String[capacity];
        int mask = capacity - 1;
        // In the order the rows were made, so that order is kept and every used slot is renumbered.
        for (int k = 0; k < size; k++) {
            int j = used[k];
            int oldRow = j << rowShift;
            int i = hash((int) oldRows[oldRow + PROTOCOL], oldRows[oldRow + ID]) & mask;
            while (rows[i << rowShift] != 0) {
                i = (i + 1) & mask;
            }
            System.arraycopy(oldRows, oldRow, rows, i << rowShift, 1 << rowShift);
            if (clients != null) {
                clients[i] = oldClients[j];
            }
            used[k] = i;
        }
    }
}
