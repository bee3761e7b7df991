package dev.muxgate.logtools;

/**
 * The workspaces of a pool's threads, one each, made on a thread's first use; drained into one
 * tally once the pool's work is done.
 */
final class FoldWorkspaces {
    private final java.util.Queue<FoldWorkspace> all = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final ThreadLocal<FoldWorkspace> mine;

    /** Workspaces whose sessions keep every counter. */
    FoldWorkspaces() {
        this(false);
    }

    /** {@code streamsOnly}: their sessions keep only stream counts (see {@link SessionRows}). */
    FoldWorkspaces(boolean streamsOnly) {
        mine = ThreadLocal.withInitial(() -> {
            FoldWorkspace made = new FoldWorkspace(streamsOnly);
            all.add(made);
            return made;
        });
    }

    /** The calling thread's workspace. */
    FoldWorkspace get() {
        return mine.get();
    }

    /**
     * Adds the sessions of every workspace into {@code tally}. Only once the inputs folded in
     * them are done (their results taken from their futures, which orders their writes first).
     */
    void drainInto(LogTally tally) {
        // Table to table first: the merging code is already compiled by then, having run
        // once per input, and only one table's sessions become objects.
        FoldWorkspace first = null;
        for (FoldWorkspace workspace : all) {
            if (first == null) {
                first = workspace;
            } else {
                workspace.moveInto(first);
            }
        }
        if (first != null) {
            first.drainInto(tally);
        }
    }
}
