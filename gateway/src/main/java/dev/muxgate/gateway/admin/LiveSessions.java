package dev.muxgate.gateway.admin;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The client sessions alive now, by session number, for the admin endpoint's {@code /sessions}.
 * Sessions register when they start (or negotiate) and unregister when their connection closes;
 * both are one concurrent map operation, safe from any event loop.
 */
public final class LiveSessions {

    private static final Comparator<LiveSession> BY_NUMBER = Comparator.comparingLong(LiveSession::number);

    private final ConcurrentMap<Long, LiveSession> byNumber = new ConcurrentHashMap<>();

    /** Adds {@code session}, replacing any earlier view with the same number. */
    public void register(LiveSession session) {
        byNumber.put(session.number(), session);
    }

    /** Removes the session numbered {@code number}; nothing happens if it is not registered. */
    public void unregister(long number) {
        byNumber.remove(number);
    }

    /** Sessions registered now. */
    public int size() {
        return byNumber.size();
    }

    /** The session numbered {@code number}, or null. */
    public LiveSession get(long number) {
        return byNumber.get(number);
    }

    /**
     * Up to {@code limit} sessions with the lowest numbers (the oldest of this gateway's sessions), in
     * number order. One pass over the map with a heap of {@code limit} entries, so a large number of
     * sessions costs time proportional to their count, not a sort of all of them.
     */
    public List<LiveSession> oldest(int limit) {
        if (limit <= 0) {
            return List.of();
        }
        // A max-heap of the lowest numbers seen so far.
        PriorityQueue<LiveSession> lowest = new PriorityQueue<>(Math.min(limit, 64) + 1, BY_NUMBER.reversed());
        for (LiveSession session : byNumber.values()) {
            if (lowest.size() < limit) {
                lowest.add(session);
            } else if (session.number() < lowest.peek().number()) {
                lowest.poll();
                lowest.add(session);
            }
        }
        List<LiveSession> sorted = new ArrayList<>(lowest);
        sorted.sort(BY_NUMBER);
        return sorted;
    }
}
