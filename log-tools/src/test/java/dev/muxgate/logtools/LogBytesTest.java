package dev.muxgate.logtools;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The eight-at-a-time searches against a byte-at-a-time loop, on every byte value and at every offset. */
class LogBytesTest {

    @Test
    void searchesFindWhatALoopFinds() {
        Random random = new Random(7);
        for (int n = 0; n < 20_000; n++) {
            byte[] buf = new byte[random.nextInt(40)];
            for (int i = 0; i < buf.length; i++) {
                // Mostly printable, so hits are rare and land at every position of a word.
                buf[i] = (byte) (random.nextInt(8) == 0 ? random.nextInt(256) : 0x21 + random.nextInt(0x5E));
            }
            int from = buf.length == 0 ? 0 : random.nextInt(buf.length + 1);
            int limit = from + random.nextInt(buf.length - from + 1);
            byte b = (byte) random.nextInt(256);
            int notPrintable = limit;
            int notPrintableOr = limit;
            int index = limit;
            for (int p = limit - 1; p >= from; p--) {
                boolean printable = buf[p] >= 0x21 && buf[p] <= 0x7E;
                notPrintable = printable ? notPrintable : p;
                notPrintableOr = printable && buf[p] != b ? notPrintableOr : p;
                index = buf[p] == b ? p : index;
            }
            assertEquals(notPrintable, LogBytes.firstNotPrintable(buf, from, limit));
            assertEquals(notPrintableOr, LogBytes.firstNotPrintableOr(buf, from, limit, b));
            assertEquals(index, LogBytes.indexOf(buf, from, limit, b));
        }
    }

    @Test
    void digitsOfAWordAreCountedAndReadForEveryLengthAndNeighbour() {
        Random random = new Random(11);
        for (int n = 0; n < 20_000; n++) {
            byte[] buf = new byte[8];
            int digits = random.nextInt(9);
            long value = 0;
            for (int i = 0; i < 8; i++) {
                if (i < digits) {
                    buf[i] = (byte) ('0' + random.nextInt(10));
                    value = value * 10 + buf[i] - '0';
                } else {
                    byte other;
                    do {
                        other = (byte) random.nextInt(256);
                    } while (other >= '0' && other <= '9');
                    buf[i] = i == digits ? other : (byte) random.nextInt(256);
                }
            }
            long word = LogBytes.word(buf, 0);
            assertEquals(digits, LogBytes.leadingDigits(word));
            if (digits > 0) {
                assertEquals(value, LogBytes.digitsValue(word, digits));
            }
        }
    }
}
