package dev.muxgate.spdy.bridge;

import dev.muxgate.httpcore.connect.ConnectOptions;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * Who one client session is: its negotiated protocol (the plugin tag), its session number (the
 * plugin id), the real client and the TLS facts. Every stream of the session opens its plugin
 * connection with these.
 */
public record SessionIdentity(
        String protocol,
        long sessionNumber,
        InetSocketAddress client,
        String tlsVersion,
        String tlsCipher,
        SocketAddress coreAddress) {

    /**
     * The options of a plugin connection that carries the bytes of a whole HTTP/1.1 connection
     * ({@code streamId} 0) or of one stream.
     */
    public ConnectOptions forStream(long streamId) {
        return options(streamId).build();
    }

    /**
     * The options of the plugin connection of stream {@code streamId} when the stream's codec hands
     * over decoded HTTP messages: the core then skips its byte codec.
     */
    public ConnectOptions forMessageStream(long streamId) {
        return options(streamId).httpMessages(true).build();
    }

    private ConnectOptions.Builder options(long streamId) {
        return ConnectOptions.builder(coreAddress)
                .pluginTag(protocol)
                .pluginId(sessionNumber)
                .streamId(streamId)
                .clientAddress(client)
                .secureProtocol(protocol)
                .tlsVersion(tlsVersion)
                .tlsCipher(tlsCipher);
    }
}
