package dev.muxgate.logtools;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The byte searches the access log reader lives on, eight bytes at a time in a {@code long}
 * ("SWAR"). The gateway's writer prints only {@code 0x21..0x7E} inside a value and escapes
 * everything else, so one search finds where a value ends (a space, the line's end) and any byte
 * the writer would never have written (a control byte, DEL, a non-ASCII byte) at once.
 *
 * <p>Words are read little-endian, so the lowest flagged byte of a word is the first in the text;
 * the tricks below may flag bytes after a true hit (a borrow moves up), never one before it. Every
 * search stops at {@code limit} and reads no byte at or after it.
 */
final class LogBytes {

    private static final VarHandle WORD = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long LOW7 = 0x7F7F7F7F7F7F7F7FL;

    private LogBytes() {
    }

    /** True for the bytes a value may hold: printable ASCII other than space. */
    static boolean printable(byte b) {
        return b >= 0x21 && b <= 0x7E;
    }

    /** The index of the first byte in {@code [from, limit)} that is not {@link #printable}; {@code limit} if none. */
    static int firstNotPrintable(byte[] buf, int from, int limit) {
        int p = from;
        for (; p + 8 <= limit; p += 8) {
            long mask = notPrintable((long) WORD.get(buf, p));
            if (mask != 0) {
                return p + (Long.numberOfTrailingZeros(mask) >>> 3);
            }
        }
        for (; p < limit; p++) {
            if (!printable(buf[p])) {
                return p;
            }
        }
        return limit;
    }

    /**
     * The index of the first byte in {@code [from, limit)} that is not {@link #printable} or equals
     * {@code stop}; {@code limit} if none.
     */
    static int firstNotPrintableOr(byte[] buf, int from, int limit, byte stop) {
        long pattern = ONES * (stop & 0xFF);
        int p = from;
        for (; p + 8 <= limit; p += 8) {
            long word = (long) WORD.get(buf, p);
            long mask = notPrintable(word) | zeroBytes(word ^ pattern);
            if (mask != 0) {
                return p + (Long.numberOfTrailingZeros(mask) >>> 3);
            }
        }
        for (; p < limit; p++) {
            if (buf[p] == stop || !printable(buf[p])) {
                return p;
            }
        }
        return limit;
    }

    /** The index of the first {@code b} in {@code [from, limit)}; {@code limit} if none. */
    static int indexOf(byte[] buf, int from, int limit, byte b) {
        long pattern = ONES * (b & 0xFF);
        int p = from;
        for (; p + 8 <= limit; p += 8) {
            long mask = zeroBytes((long) WORD.get(buf, p) ^ pattern);
            if (mask != 0) {
                return p + (Long.numberOfTrailingZeros(mask) >>> 3);
            }
        }
        for (; p < limit; p++) {
            if (buf[p] == b) {
                return p;
            }
        }
        return limit;
    }

    /** The eight bytes at {@code buf[p]} as one word, the first in its lowest byte; {@code p + 8 <= buf.length}. */
    static long word(byte[] buf, int p) {
        return (long) WORD.get(buf, p);
    }

    /** How many of the word's bytes, from its first, are ASCII digits: 0 to 8. */
    static int leadingDigits(long word) {
        long low = word & LOW7;
        long belowZero = ~(low + ONES * (0x80 - '0'));
        long aboveNine = low + ONES * (0x80 - '9' - 1);
        return Long.numberOfTrailingZeros((belowZero | aboveNine | word) & HIGHS) >>> 3;
    }

    /**
     * The decimal value of the word's first {@code n} bytes (1 to 8, all digits, the first the most
     * significant): the digits are moved to the top so zero bytes lead, then pairs, fours and eights
     * of digits are combined with one multiply each.
     */
    static long digitsValue(long word, int n) {
        long v = (word << ((8 - n) << 3)) & 0x0F0F0F0F0F0F0F0FL;
        v = (v * 2561) >>> 8 & 0x00FF00FF00FF00FFL;
        v = (v * 6553601) >>> 16 & 0x0000FFFF0000FFFFL;
        return (v * 42949672960001L) >>> 32;
    }

    /**
     * The high bit of each byte outside {@code 0x21..0x7E}. Exact per byte: both sums stay below
     * 0x100 in every byte lane, so nothing carries into the next byte.
     */
    private static long notPrintable(long word) {
        long low = word & LOW7;
        long atLeast7F = low + ONES * 0x01;   // high bit set when the low seven bits are 0x7F
        long atLeast21 = low + ONES * 0x5F;   // high bit set when the low seven bits are >= 0x21
        return (atLeast7F | ~atLeast21 | word) & HIGHS;
    }

    /** The high bit of each zero byte (and perhaps of bytes after the first zero byte). */
    private static long zeroBytes(long word) {
        return (word - ONES) & ~word & HIGHS;
    }
}
