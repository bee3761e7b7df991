package dev.muxgate.logtools;

import java.util.Arrays;

/**
 * What one reading thread keeps from one input to the next: the read buffer, the session
 * table of the input being read, and the sessions of every input it has read, all sized by
 * what it has read so far. The sessions become objects only when {@link #drainInto drained},
 * once per thread and run rather than once per input: with a large file read as chunks, a
 * table of objects per chunk and their merging took a tenth of a run. Not shared between
 * threads.
 */
final class FoldWorkspace {
    final byte[] buffer = new byte[AccessLogFold.BUFFER];
    /** The input being read. */
    final SessionRows input;
    /** Every input read since the last drain. */
    final SessionRows read;
    /** Protocol tokens seen so far and their names: a handful, so a linear scan beats hashing. */
    byte[][] protocolTokens = new byte[0][];
    String[] protocolNames = new String[0];
    SessionTally untagged;

    /** A workspace whose sessions keep every counter, their times and clients. */
    FoldWorkspace() {
        this(false);
    }

    /** {@code streamsOnly}: its sessions keep only their stream counts (see {@link SessionRows}). */
    FoldWorkspace(boolean streamsOnly) {
        input = new SessionRows(streamsOnly);
        read = new SessionRows(streamsOnly);
    }

    boolean streamsOnly() {
        return input.streamsOnly();
    }

    /**
     * Moves the sessions of the inputs folded here into {@code target}'s, table to table, and
     * forgets them.
     */
    void moveInto(FoldWorkspace target) {
        int[] protocols = new int[protocolTokens.length];
        for (int p = 0; p < protocols.length; p++) {
            protocols[p] = target.protocolIndex(protocolTokens[p], protocolNames[p]);
        }
        read.mergeInto(target.read, protocols);
        target.addUntagged(untagged);
        untagged = null;
    }

    /** Adds {@code lines} (taken over; null for none) to the untagged lines folded here. */
    void addUntagged(SessionTally lines) {
        if (lines == null) {
            return;
        }
        if (untagged == null) {
            untagged = lines;
        } else {
            untagged.merge(lines);
        }
    }

    /** The index of the protocol token, added when it is new. */
    int protocolIndex(byte[] token, String name) {
        for (int i = 0; i < protocolTokens.length; i++) {
            if (Arrays.equals(protocolTokens[i], token)) {
                return i;
            }
        }
        protocolTokens = Arrays.copyOf(protocolTokens, protocolTokens.length + 1);
        protocolTokens[protocolTokens.length - 1] = token;
        protocolNames = Arrays.copyOf(protocolNames, protocolNames.length + 1);
        protocolNames[protocolNames.length - 1] = name;
        return protocolTokens.length - 1;
    }

    /** Moves the sessions of the inputs folded here into {@code tally}, and forgets them. */
    void drainInto(LogTally tally) {
        String[] names = protocolNames;
        read.forEach((protocol, id, session) -> tally.addSession(new SessionKey(names[protocol], id), session));
        read.clear();
        if (untagged != null) {
            tally.addSession(SessionKey.UNTAGGED, untagged);
            untagged = null;
        }
    }
}
