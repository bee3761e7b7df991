package dev.muxgate.httpcore.origin;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;

/** Opens a bare connection to one origin on a given loop; the pool adds the HTTP handlers. */
interface OriginConnector {

    Future<Channel> connect(EventLoop loop);
}
