package dev.muxgate.httpcore.log;

import dev.muxgate.httpcore.config.SyslogConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Sends a log's lines to a syslog server as RFC 5424 messages ({@code <PRI>1 TIMESTAMP HOSTNAME
 * APP-NAME PROCID MSGID - line}, severity informational), over UDP (one datagram each, RFC 5426)
 * or TCP (octet counting, RFC 6587). The log's writer thread hands each line over with
 * {@link #offer}, which never blocks: a bounded queue sits between it and a thread of this
 * sender's own that does all network I/O. So a slow or dead server costs syslog messages (counted
 * in {@link #dropped}), never a file line and never an event loop's time. A TCP connection that
 * fails is opened again at most once a second; lines that come meanwhile are dropped and counted.
 */
public final class SyslogSender implements AutoCloseable {

    /** A datagram is cut here: RFC 5426 receivers need only take 2,048 bytes; most take far more. */
    static final int MAX_DATAGRAM = 8192;
    private static final int CONNECT_TIMEOUT_MILLIS = 1000;
    private static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final String STOP = new String("stop");

    private final SyslogConfig config;
    private final String msgId;
    private final Clock clock;
    private final BlockingQueue<String> queue;
    private final LongAdder sent = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final Thread thread;
    private volatile boolean closing;
    private DatagramSocket udp;
    private Socket tcp;
    private OutputStream tcpOut;
    private long nextConnect;
    private String header;
    private InetSocketAddress server;

    /** Starts the sender thread ({@code muxgate-syslog-<msgId>}); {@code msgId} names the log, e.g. {@code access}. */
    public SyslogSender(SyslogConfig config, String msgId, Clock clock) {
        this.config = config;
        this.msgId = msgId;
        this.clock = clock;
        this.queue = new ArrayBlockingQueue<>(config.queueLines());
        this.thread = new Thread(this::run, "muxgate-syslog-" + msgId);
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues one line (no line break); never blocks. */
    public void offer(String line) {
        if (closing || !queue.offer(line)) {
            dropped.increment();
        }
    }

    public long sent() {
        return sent.sum();
    }

    /** Lines not delivered: queue full, server unreachable, or after close. */
    public long dropped() {
        return dropped.sum();
    }

    /** Sends what is queued (for at most a second), then stops. */
    @Override
    public void close() {
        closing = true;
        queue.offer(STOP);
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread.interrupt();
    }

    private void run() {
        // Name lookups block: done here, once, never on the caller's thread.
        String hostname;
        try {
            hostname = InetAddress.getLocalHost().getHostName();
        } catch (IOException | RuntimeException e) {
            hostname = "-";
        }
        int pri = config.facility() * 8 + 6;
        header = " " + hostname + " " + config.appName() + " " + ProcessHandle.current().pid() + " " + msgId + " - ";
        String prefix = "<" + pri + ">1 ";
        try {
            while (true) {
                String line = closing ? queue.poll(1, TimeUnit.SECONDS) : queue.take();
                if (line == null || line == STOP) {
                    String rest;
                    while ((rest = queue.poll()) != null && rest != STOP) {
                        dropped.increment();
                    }
                    break;
                }
                send(prefix + STAMP.format(clock.instant()) + header + line);
            }
        } catch (InterruptedException e) {
            // Closing: whatever is left is dropped.
        } finally {
            disconnect();
            if (udp != null) {
                udp.close();
            }
        }
    }

    private void send(String message) {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        try {
            if (server == null || server.isUnresolved()) {
                server = new InetSocketAddress(config.host(), config.port());
            }
            if (config.tcp()) {
                sendTcp(bytes);
            } else {
                if (udp == null) {
                    udp = new DatagramSocket();
                }
                udp.send(new DatagramPacket(bytes, Math.min(bytes.length, MAX_DATAGRAM), server));
            }
            sent.increment();
        } catch (IOException | RuntimeException e) {
            dropped.increment();
            disconnect();
        }
    }

    private void sendTcp(byte[] bytes) throws IOException {
        if (tcpOut == null) {
            if (System.nanoTime() - nextConnect < 0) {
                throw new IOException("waiting before connecting again");
            }
            nextConnect = System.nanoTime() + RETRY_NANOS;
            Socket socket = new Socket();
            socket.connect(server, CONNECT_TIMEOUT_MILLIS);
            // A server that accepts but stops reading blocks this thread in write: the queue then
            // fills and lines are dropped and counted, while the file and the event loops go on.
            tcp = socket;
            tcpOut = socket.getOutputStream();
        }
        tcpOut.write((bytes.length + " ").getBytes(StandardCharsets.US_ASCII));
        tcpOut.write(bytes);
        tcpOut.flush();
    }

    private void disconnect() {
        if (tcp != null) {
            try {
                tcp.close();
            } catch (IOException ignored) {
                // dropping it anyway
            }
            tcp = null;
            tcpOut = null;
        }
    }
}
