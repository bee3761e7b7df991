package dev.muxgate.httpcore.proxy;

import dev.muxgate.httpcore.connect.ConnectOptions;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** An HTTP/1.1 client on a plugin connection: whole responses into a queue. */
final class PluginClient implements AutoCloseable {

    record Response(int status, HttpHeaders headers, String body) {
    }

    final Channel channel;
    private final BlockingQueue<Response> responses = new LinkedBlockingQueue<>();

    PluginClient(ProxyCore core, ConnectOptions options) {
        channel = core.connector().connect(options, new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(8 << 20),
                        new SimpleChannelInboundHandler<FullHttpResponse>() {
                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse r) {
                                responses.add(new Response(r.status().code(), r.headers().copy(),
                                        r.content().toString(StandardCharsets.UTF_8)));
                            }
                        });
            }
        });
    }

    static FullHttpRequest get(String uri, String host) {
        FullHttpRequest r = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
        r.headers().set("host", host);
        return r;
    }

    Response exchange(FullHttpRequest request) throws InterruptedException {
        channel.writeAndFlush(request);
        return next();
    }

    Response next() throws InterruptedException {
        Response r = responses.poll(10, TimeUnit.SECONDS);
        if (r == null) {
            throw new AssertionError("no response on the plugin connection");
        }
        return r;
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
