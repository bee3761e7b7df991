package dev.muxgate.spdy.h2;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.Test;

class IdleSessionCloserTest {

    @Test
    void quietSessionWithoutStreamsIsClosed() {
        Http2FrameCodec codec = Http2FrameCodecBuilder.forServer().build();
        EmbeddedChannel session = new EmbeddedChannel(codec, new IdleSessionCloser(codec));
        session.pipeline().fireUserEventTriggered(IdleStateEvent.ALL_IDLE_STATE_EVENT);
        session.runPendingTasks();
        assertFalse(session.isOpen(), "an idle session with no stream must end");
        releaseOutbound(session);
        session.finishAndReleaseAll();
    }

    @Test
    void otherEventsPassThrough() {
        Http2FrameCodec codec = Http2FrameCodecBuilder.forServer().build();
        EmbeddedChannel session = new EmbeddedChannel(codec, new IdleSessionCloser(codec));
        session.pipeline().fireUserEventTriggered("something else");
        assertTrue(session.isOpen());
        releaseOutbound(session);
        session.finishAndReleaseAll();
    }

    private static void releaseOutbound(EmbeddedChannel ch) {
        for (Object m; (m = ch.readOutbound()) != null; ) {
            if (m instanceof ByteBuf) {
                ReferenceCountUtil.release(m);
            }
        }
    }
}
