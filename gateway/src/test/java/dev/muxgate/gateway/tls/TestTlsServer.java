package dev.muxgate.gateway.tls;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SniCompletionEvent;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A TLS server on loopback for tests: each connection gets the handler from {@code firstHandler}
 * (normally {@link TlsFrontEnd#newSniHandler()}) and a recorder that reports what happened, one
 * line per connection: {@code protocol=h2}, {@code protocol=none}, {@code protocol=foo on a closed channel}, {@code sni-failed=...} or
 * {@code handshake-failed=...}. Received application bytes are released.
 */
final class TestTlsServer implements AutoCloseable {

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final BlockingQueue<String> outcomes = new LinkedBlockingQueue<>();
    private final Channel server;

    TestTlsServer(Supplier<ChannelHandler> firstHandler) throws InterruptedException {
        server = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(firstHandler.get(), new Recorder());
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** The next connection's outcome. */
    String nextOutcome() throws InterruptedException {
        String outcome = outcomes.poll(10, TimeUnit.SECONDS);
        if (outcome == null) {
            throw new AssertionError("no connection outcome within 10s");
        }
        return outcome;
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private final class Recorder extends ChannelInboundHandlerAdapter {
        private boolean reported;

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof SniCompletionEvent && !((SniCompletionEvent) evt).isSuccess()) {
                report("sni-failed=" + ((SniCompletionEvent) evt).cause());
            } else if (evt instanceof SslHandshakeCompletionEvent) {
                SslHandshakeCompletionEvent done = (SslHandshakeCompletionEvent) evt;
                if (done.isSuccess()) {
                    String protocol = ctx.pipeline().get(SslHandler.class).applicationProtocol();
                    report("protocol=" + (protocol == null ? "none" : protocol)
                            + (ctx.channel().isActive() ? "" : " on a closed channel"));
                } else {
                    report("handshake-failed=" + done.cause());
                }
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            report("closed");
        }

        private void report(String outcome) {
            if (!reported) {
                reported = true;
                outcomes.add(outcome);
            }
        }
    }
}
