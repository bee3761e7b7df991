package dev.muxgate.httpcore.origin;

import dev.muxgate.httpcore.connect.PipeChannel;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetSocketAddress;

/**
 * Reaches the built-in demo origin through an in-process pipe, so the core talks to it exactly as
 * to any origin (HTTP/1.1 bytes, pooled, paced by writability) and it needs no port of its own.
 */
final class DemoOriginConnector implements OriginConnector {

    private static final InetSocketAddress DEMO_ADDRESS = InetSocketAddress.createUnresolved("demo.internal", 80);
    private static final InetSocketAddress PROXY_ADDRESS = InetSocketAddress.createUnresolved("core.internal", 0);

    private final DemoOrigin demo;

    DemoOriginConnector(DemoOrigin demo) {
        this.demo = demo;
    }

    @Override
    public Future<Channel> connect(EventLoop loop) {
        PipeChannel[] pair = PipeChannel.newPair(PROXY_ADDRESS, DEMO_ADDRESS);
        PipeChannel server = pair[1];
        server.pipeline().addLast("http", new HttpServerCodec());
        server.pipeline().addLast("ws", demo.newWebSocketHandler());
        server.pipeline().addLast("demo", demo.newHandler());
        Promise<Channel> promise = loop.newPromise();
        loop.register(server);
        loop.register(pair[0]).addListener(f -> {
            if (f.isSuccess()) {
                promise.setSuccess(pair[0]);
            } else {
                server.close();
                promise.setFailure(f.cause());
            }
        });
        return promise;
    }
}
