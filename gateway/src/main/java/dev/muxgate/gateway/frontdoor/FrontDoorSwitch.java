package dev.muxgate.gateway.frontdoor;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The TLS listener's child handler: hands each accepted connection to the front door that is
 * current at accept time. A configuration reload swaps in a new {@link FrontDoorInitializer} (new
 * certificates, limits); a connection accepted before keeps the one it got for its whole life.
 */
@ChannelHandler.Sharable
public final class FrontDoorSwitch extends ChannelInitializer<Channel> {

    private final AtomicReference<FrontDoorInitializer> current;

    public FrontDoorSwitch(FrontDoorInitializer first) {
        this.current = new AtomicReference<>(Objects.requireNonNull(first, "first"));
    }

    /** Makes {@code next} the front door of connections accepted from now on. */
    public void swap(FrontDoorInitializer next) {
        current.set(Objects.requireNonNull(next, "next"));
    }

    @Override
    protected void initChannel(Channel ch) {
        // An initializer of its own: it sets the connection's pipeline up as it is added.
        ch.pipeline().addLast(current.get());
    }
}
