package dev.muxgate.httpcore.proxy;

import dev.muxgate.httpcore.log.AccessLog;
import dev.muxgate.httpcore.log.TransactionRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/** An access log that keeps every record for the test to look at; safe from any loop. */
final class RecordingAccessLog implements AccessLog {

    private final List<TransactionRecord> records = new CopyOnWriteArrayList<>();

    @Override
    public void log(TransactionRecord record) {
        records.add(record);
    }

    @Override
    public void close() {
    }

    List<TransactionRecord> records() {
        return new ArrayList<>(records);
    }

    int size() {
        return records.size();
    }

    /** The first record matching {@code p}, waiting for it up to a bound. */
    TransactionRecord await(Predicate<TransactionRecord> p) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        for (;;) {
            for (TransactionRecord r : records) {
                if (p.test(r)) {
                    return r;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no access record matched; have " + describe());
            }
            Thread.sleep(5);
        }
    }

    /** Waits until {@code n} records are in, then returns them all. */
    List<TransactionRecord> awaitCount(int n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (records.size() < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected " + n + " access records, have " + records.size());
            }
            Thread.sleep(5);
        }
        return records();
    }

    TransactionRecord awaitUrl(String urlSuffix) throws InterruptedException {
        return await(r -> r.url() != null && r.url().endsWith(urlSuffix));
    }

    String describe() {
        StringBuilder sb = new StringBuilder("[");
        for (TransactionRecord r : records) {
            sb.append("\n  ").append(r.method()).append(' ').append(r.url()).append(" -> ").append(r.proxyStatus())
                    .append(' ').append(r.result());
        }
        return sb.append(']').toString();
    }
}
