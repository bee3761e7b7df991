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

    /** The options of the plugin connection for stream {@code streamId} (0 for a whole connection). */
    public ConnectOptions forStream(long streamId) {
        return ConnectOptions.builder(coreAddress)
                .pluginTag(protocol)
                .pluginId(sessionNumber)
                .streamId(streamId)
                .clientAddress(client)
                .secureProtocol(protocol)
                .tlsVersion(tlsVersion)
                .tlsCipher(tlsCipher)
                .build();
    }
}
