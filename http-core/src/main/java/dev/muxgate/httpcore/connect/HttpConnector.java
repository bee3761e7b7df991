package dev.muxgate.httpcore.connect;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * Opens plugin connections straight into the proxy core: ATS's
 * {@code TSHttpConnectWithPluginId(addr, tag, id)} as a Java API. The returned channel is the plugin
 * side of an in-process pair; the core side runs the very pipeline of a TCP connection accepted on
 * the core's own listener. Write HTTP/1.1 (for instance through {@code HttpClientCodec}) and read the
 * responses back.
 *
 * <p>The channel is registered and active when the call returns. Called on a Netty event loop, both
 * ends live on that loop, so bytes never change threads.
 */
public interface HttpConnector {

    /** The superset call. */
    default Channel connect(ConnectOptions options) {
        return connect(options, null);
    }

    /**
     * Like {@link #connect(ConnectOptions)}, with {@code pluginHandler} (nullable) added to the
     * plugin side's pipeline before it becomes active, as {@code Bootstrap.handler} would.
     */
    Channel connect(ConnectOptions options, ChannelHandler pluginHandler);

    /** ATS's {@code TSHttpConnectWithPluginId}: a tagged connection to the core at {@code target}. */
    default Channel connectWithPluginId(SocketAddress target, String tag, long id) {
        return connect(ConnectOptions.builder(target).pluginTag(tag).pluginId(id).build());
    }

    /**
     * ATS's {@code TSHttpConnectTransparent}: a connection that looks like it comes from
     * {@code client} and whose requests go to {@code server} without remap.
     */
    Channel connectTransparent(InetSocketAddress client, InetSocketAddress server);
}
