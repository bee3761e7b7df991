package dev.muxgate.gateway.session;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Hands out client session numbers: 64-bit, positive, never 0 (0 means "not set" in the logs). A
 * node id, when configured, takes the 15 bits below the sign bit, so the numbers of a fleet's
 * gateways never collide, a log line names the gateway that served it, and every number stays a
 * positive plugin id (the sign bit is never set).
 */
public final class SessionNumbers {

    public static final int NODE_BITS = 16;
    /** 15 bits: the top one of the 16 stays clear so numbers never turn negative. */
    public static final int MAX_NODE_ID = (1 << (NODE_BITS - 1)) - 1;
    private static final long SEQUENCE_MASK = (1L << (64 - NODE_BITS)) - 1;

    private final long nodePrefix;
    private final AtomicLong sequence = new AtomicLong();

    public SessionNumbers(int nodeId) {
        if (nodeId < 0 || nodeId > MAX_NODE_ID) {
            throw new IllegalArgumentException("node id must be 0.." + MAX_NODE_ID + ", got " + nodeId);
        }
        this.nodePrefix = (long) nodeId << (64 - NODE_BITS);
    }

    public long next() {
        long n = sequence.incrementAndGet() & SEQUENCE_MASK;
        if (n == 0) {
            // 2^48 sessions later the sequence wraps; skip the value that would read as "unset".
            n = sequence.incrementAndGet() & SEQUENCE_MASK;
        }
        return nodePrefix | n;
    }

    /** The node id a session number was issued by. */
    public static int nodeOf(long sessionNumber) {
        return (int) (sessionNumber >>> (64 - NODE_BITS));
    }
}
