package dev.muxgate.httpcore.connect;

import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Objects;

/**
 * Everything one plugin connection is opened with: the superset of ATS's
 * {@code TSHttpConnect}, {@code TSHttpConnectWithPluginId} and {@code TSHttpConnectTransparent}.
 * Validated when built, so a bad tag or id fails at the call that made it, never later in a log.
 */
public final class ConnectOptions {

    /** The options a core-side channel was opened with; absent on network connections. */
    public static final AttributeKey<ConnectOptions> ATTRIBUTE =
            AttributeKey.valueOf(ConnectOptions.class, "muxgate.plugin");

    static final int MAX_TAG_LENGTH = 64;

    private final SocketAddress target;
    private final String pluginTag;
    private final long pluginId;
    private final long streamId;
    private final InetSocketAddress clientAddress;
    private final InetSocketAddress transparentOrigin;
    private final WriteBufferWaterMark waterMark;
    private final String secureProtocol;
    private final String tlsVersion;
    private final String tlsCipher;
    private final boolean httpMessages;

    private ConnectOptions(Builder b) {
        this.target = Objects.requireNonNull(b.target, "target address must not be null");
        this.pluginTag = checkToken("plugin tag", b.pluginTag);
        if (b.pluginId < 0) {
            throw new IllegalArgumentException("plugin id must be >= 0 (0 means not set), got " + b.pluginId);
        }
        if (b.streamId < 0) {
            throw new IllegalArgumentException("stream id must be >= 0 (0 means not set), got " + b.streamId);
        }
        this.pluginId = b.pluginId;
        this.streamId = b.streamId;
        this.clientAddress = b.clientAddress;
        this.transparentOrigin = b.transparentOrigin;
        if (transparentOrigin != null && transparentOrigin.getPort() == 0) {
            throw new IllegalArgumentException("transparent origin needs a port: " + transparentOrigin);
        }
        this.waterMark = b.waterMark;
        this.secureProtocol = checkToken("secure protocol", b.secureProtocol);
        this.tlsVersion = checkToken("TLS version", b.tlsVersion);
        this.tlsCipher = checkToken("TLS cipher", b.tlsCipher);
        this.httpMessages = b.httpMessages;
    }

    /** A tag travels into every log line as one field: visible ASCII only, no spaces, bounded. */
    private static String checkToken(String what, String value) {
        if (value == null) {
            return null;
        }
        if (value.isEmpty() || value.length() > MAX_TAG_LENGTH) {
            throw new IllegalArgumentException(
                    what + " must be 1.." + MAX_TAG_LENGTH + " characters, got " + value.length());
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c <= 0x20 || c >= 0x7f || c == '"' || c == '\\') {
                throw new IllegalArgumentException(
                        what + " may hold only visible ASCII without quotes or backslashes; character "
                                + i + " is 0x" + Integer.toHexString(c));
            }
        }
        return value;
    }

    public static Builder builder(SocketAddress target) {
        return new Builder().target(target);
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.target = target;
        b.pluginTag = pluginTag;
        b.pluginId = pluginId;
        b.streamId = streamId;
        b.clientAddress = clientAddress;
        b.transparentOrigin = transparentOrigin;
        b.waterMark = waterMark;
        b.secureProtocol = secureProtocol;
        b.tlsVersion = tlsVersion;
        b.tlsCipher = tlsCipher;
        b.httpMessages = httpMessages;
        return b;
    }

    /** The core address dialled; the core side reports it as its local address. */
    public SocketAddress target() { return target; }

    /** Negotiated protocol or other plugin name, e.g. {@code h2}; null when not set. */
    public String pluginTag() { return pluginTag; }

    /** Client session number or other plugin-chosen id; 0 when not set. */
    public long pluginId() { return pluginId; }

    /** Stream id within the client session; 0 when not set. */
    public long streamId() { return streamId; }

    /** The real client, logged as the client instead of any internal address; null when unknown. */
    public InetSocketAddress clientAddress() { return clientAddress; }

    /** When set, requests skip remap and go straight to this origin. */
    public InetSocketAddress transparentOrigin() { return transparentOrigin; }

    /** Water marks of the plugin side; null takes Netty's defaults. */
    public WriteBufferWaterMark waterMark() { return waterMark; }

    public String secureProtocol() { return secureProtocol; }

    public String tlsVersion() { return tlsVersion; }

    public String tlsCipher() { return tlsCipher; }

    /**
     * True when the plugin writes and reads Netty {@code HttpObject} messages (a request head, its
     * content pieces, a last content) instead of bytes. The core side then runs without an HTTP/1.1
     * codec of its own: the same state machine and request checks, two codec passes fewer each way.
     */
    public boolean httpMessages() { return httpMessages; }

    @Override
    public String toString() {
        return "ConnectOptions{target=" + target + ", tag=" + pluginTag + ", id=" + pluginId
                + (streamId != 0 ? ", stream=" + streamId : "")
                + (clientAddress != null ? ", client=" + clientAddress : "")
                + (transparentOrigin != null ? ", transparent=" + transparentOrigin : "") + '}';
    }

    /** Mutable builder; {@link #build()} validates. */
    public static final class Builder {
        private SocketAddress target;
        private String pluginTag;
        private long pluginId;
        private long streamId;
        private InetSocketAddress clientAddress;
        private InetSocketAddress transparentOrigin;
        private WriteBufferWaterMark waterMark;
        private String secureProtocol;
        private String tlsVersion;
        private String tlsCipher;
        private boolean httpMessages;

        private Builder() {
        }

        public Builder target(SocketAddress target) { this.target = target; return this; }
        public Builder pluginTag(String tag) { this.pluginTag = tag; return this; }
        public Builder pluginId(long id) { this.pluginId = id; return this; }
        public Builder streamId(long id) { this.streamId = id; return this; }
        public Builder clientAddress(InetSocketAddress address) { this.clientAddress = address; return this; }
        public Builder transparentOrigin(InetSocketAddress origin) { this.transparentOrigin = origin; return this; }
        public Builder waterMark(WriteBufferWaterMark marks) { this.waterMark = marks; return this; }
        public Builder secureProtocol(String protocol) { this.secureProtocol = protocol; return this; }
        public Builder tlsVersion(String version) { this.tlsVersion = version; return this; }
        public Builder tlsCipher(String cipher) { this.tlsCipher = cipher; return this; }
        public Builder httpMessages(boolean messages) { this.httpMessages = messages; return this; }

        public ConnectOptions build() {
            return new ConnectOptions(this);
        }
    }
}
