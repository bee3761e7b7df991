package dev.muxgate.gateway.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LiveSessionsTest {

    private final LiveSessions live = new LiveSessions();

    private static LiveSession session(long number) {
        return LiveSession.of(number, "h2", "127.0.0.1", 40000, System.nanoTime(), () -> 0);
    }

    private static List<Long> numbers(List<LiveSession> sessions) {
        return sessions.stream().map(LiveSession::number).toList();
    }

    @Test
    void sessionsComeAndGoByNumber() {
        live.register(session(7));
        live.register(session(3));
        assertEquals(2, live.size());
        assertEquals(3, live.get(3).number());

        live.unregister(3);
        live.unregister(99);

        assertNull(live.get(3));
        assertEquals(List.of(7L), numbers(live.oldest(10)));
    }

    @Test
    void oldestGivesTheLowestNumbersInOrderUpToTheLimit() {
        for (long n : new long[] {50, 10, 40, 20, 30, 60}) {
            live.register(session(n));
        }
        assertEquals(List.of(10L, 20L, 30L), numbers(live.oldest(3)));
        assertEquals(List.of(10L, 20L, 30L, 40L, 50L, 60L), numbers(live.oldest(100)));
        assertEquals(List.of(), live.oldest(0));
    }

    @Test
    void theViewReadsOpenStreamsLive() {
        AtomicLong open = new AtomicLong();
        live.register(LiveSession.of(1, "spdy/3.1", null, 0, 0, open::get));
        open.set(4);
        assertEquals(4, live.get(1).openStreams());
    }

    @Test
    void registeringFromManyThreadsLosesNothing() throws InterruptedException {
        ExecutorService threads = Executors.newFixedThreadPool(4);
        CountDownLatch done = new CountDownLatch(4);
        for (int t = 0; t < 4; t++) {
            int base = t * 10_000;
            threads.execute(() -> {
                for (int i = 1; i <= 10_000; i++) {
                    live.register(session(base + i));
                    if (i % 2 == 0) {
                        live.unregister(base + i);
                    }
                }
                done.countDown();
            });
        }
        // Asserted, not just awaited: counting before the threads are done would fail as a lost registration.
        assertTrue(done.await(60, TimeUnit.SECONDS), "the registering threads did not finish");
        threads.shutdown();
        assertEquals(20_000, live.size());
        assertEquals(List.of(1L, 3L, 5L), numbers(live.oldest(3)));
    }
}
