package dev.muxgate.httpcore.proxy;

import java.util.concurrent.atomic.LongAdder;

/** Live counters of one core, cheap to bump from every loop; read by tests, metrics and admin. */
public final class CoreStats {

    final LongAdder openConnections = new LongAdder();
    final LongAdder openPluginConnections = new LongAdder();
    final LongAdder transactions = new LongAdder();
    final LongAdder activeTransactions = new LongAdder();

    public long openConnections() {
        return openConnections.sum();
    }

    public long openPluginConnections() {
        return openPluginConnections.sum();
    }

    public long transactions() {
        return transactions.sum();
    }

    public long activeTransactions() {
        return activeTransactions.sum();
    }
}
