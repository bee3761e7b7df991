package dev.muxgate.httpcore.proxy;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/** Just enough RFC 6455 for tests to speak WebSocket by hand: the handshake key and single frames. */
final class WebSocketFrames {

    static final int TEXT = 1;
    static final int BINARY = 2;
    static final int CLOSE = 8;

    private WebSocketFrames() {
    }

    static String newKey() {
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        return Base64.getEncoder().encodeToString(nonce);
    }

    /** What the server must answer in Sec-WebSocket-Accept for {@code key} (RFC 6455 4.2.2). */
    static String acceptFor(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(
                    (key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    static String handshake(String path, String host, String key) {
        return "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
    }

    /** One final frame, masked as a client must send it. */
    static void writeClientFrame(OutputStream out, int opcode, byte[] payload) throws IOException {
        int n = payload.length;
        byte[] head;
        if (n < 126) {
            head = new byte[] {(byte) (0x80 | opcode), (byte) (0x80 | n)};
        } else if (n < 65536) {
            head = new byte[] {(byte) (0x80 | opcode), (byte) (0x80 | 126), (byte) (n >>> 8), (byte) n};
        } else {
            head = new byte[10];
            head[0] = (byte) (0x80 | opcode);
            head[1] = (byte) (0x80 | 127);
            for (int i = 0; i < 8; i++) {
                head[2 + i] = (byte) ((long) n >>> (56 - 8 * i));
            }
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        byte[] masked = new byte[n];
        for (int i = 0; i < n; i++) {
            masked[i] = (byte) (payload[i] ^ mask[i & 3]);
        }
        out.write(head);
        out.write(mask);
        out.write(masked);
        out.flush();
    }

    /** One frame from a server (unmasked); its opcode and payload. */
    record Frame(int opcode, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    static Frame readServerFrame(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        int b0 = data.readUnsignedByte();
        int b1 = data.readUnsignedByte();
        long n = b1 & 0x7f;
        if (n == 126) {
            n = data.readUnsignedShort();
        } else if (n == 127) {
            n = data.readLong();
        }
        if ((b1 & 0x80) != 0) {
            throw new IOException("a server frame must not be masked");
        }
        byte[] payload = new byte[(int) n];
        data.readFully(payload);
        return new Frame(b0 & 0x0f, payload);
    }
}
