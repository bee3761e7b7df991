package dev.muxgate.httpcore.connect;

import io.netty.channel.ChannelOption;
import io.netty.channel.DefaultChannelConfig;
import java.util.Map;

/** A pipe end's options: Netty's defaults plus half-closure, as a socket channel has. */
final class PipeChannelConfig extends DefaultChannelConfig {

    private volatile boolean allowHalfClosure;

    PipeChannelConfig(PipeChannel channel) {
        super(channel);
    }

    boolean isAllowHalfClosure() {
        return allowHalfClosure;
    }

    @Override
    protected void autoReadCleared() {
        ((PipeChannel) channel).clearReadRequest();
    }

    @Override
    public Map<ChannelOption<?>, Object> getOptions() {
        return getOptions(super.getOptions(), ChannelOption.ALLOW_HALF_CLOSURE);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T getOption(ChannelOption<T> option) {
        if (option == ChannelOption.ALLOW_HALF_CLOSURE) {
            return (T) Boolean.valueOf(allowHalfClosure);
        }
        return super.getOption(option);
    }

    @Override
    public <T> boolean setOption(ChannelOption<T> option, T value) {
        validate(option, value);
        if (option == ChannelOption.ALLOW_HALF_CLOSURE) {
            allowHalfClosure = (Boolean) value;
            return true;
        }
        return super.setOption(option, value);
    }
}
