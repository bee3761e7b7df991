package dev.muxgate.logtools;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * One newline-aligned byte range of a plain log file: it starts at the file's start or just after
 * a {@code \n} and ends just after a {@code \n} or at the file's end, so every line lies in exactly
 * one chunk and the chunks of one large file can be folded on several threads at once. Each chunk
 * is read with positional reads on its own channel; its lines are numbered from 1 until the chunks
 * before it are counted ({@link LogTally#shiftLines}).
 */
record LogChunk(Path file, long from, long to) {

    /** How far past a nominal boundary one look for its newline reads at a time. */
    private static final int PROBE = 1 << 16;

    /**
     * Splits the first {@code size} bytes of {@code file} into chunks of about {@code chunkBytes};
     * a line longer than a chunk just makes its chunk longer.
     */
    static List<LogChunk> split(Path file, long size, long chunkBytes) throws IOException {
        List<LogChunk> chunks = new ArrayList<>();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer probe = ByteBuffer.allocate(PROBE);
            long from = 0;
            while (from < size) {
                long to = from + chunkBytes >= size ? size : lineStartAtOrAfter(channel, from + chunkBytes, size, probe);
                chunks.add(new LogChunk(file, from, to));
                from = to;
            }
        }
        return chunks;
    }

    /** The first line start at or after {@code at}: just past the first newline at or after {@code at - 1}. */
    private static long lineStartAtOrAfter(FileChannel channel, long at, long size, ByteBuffer probe) throws IOException {
        long position = at - 1;
        while (position < size) {
            probe.clear();
            probe.limit((int) Math.min(PROBE, size - position));
            int n = channel.read(probe, position);
            if (n <= 0) {
                return size;
            }
            byte[] bytes = probe.array();
            for (int i = 0; i < n; i++) {
                if (bytes[i] == '\n') {
                    return position + i + 1;
                }
            }
            position += n;
        }
        return size;
    }

    /** The chunk's bytes; closing the stream closes its channel. */
    InputStream open() throws IOException {
        return new RegionStream(FileChannel.open(file, StandardOpenOption.READ), from, to);
    }

    /** Reads {@code [position, end)} of a channel without moving the channel's own position. */
    private static final class RegionStream extends InputStream {
        private final FileChannel channel;
        private long position;
        private final long end;

        RegionStream(FileChannel channel, long from, long to) {
            this.channel = channel;
            this.position = from;
            this.end = to;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (position >= end) {
                return -1;
            }
            if (len == 0) {
                return 0;
            }
            int n = channel.read(ByteBuffer.wrap(b, off, (int) Math.min(len, end - position)), position);
            if (n < 0) {
                // The file shrank since it was split (rotated by copy and truncate): its end is here.
                position = end;
                return -1;
            }
            position += n;
            return n;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
