package dev.muxgate.httpcore.proxy;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.muxgate.httpcore.config.LimitsConfig;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.util.ReferenceCountUtil;

/**
 * Coverage-guided fuzzing of the core's request checks: any bytes a client sends, decoded as the
 * core's listener decodes them, then judged by {@link RequestCheck}. Every request must end as
 * either a {@link RequestCheck.Checked} or a {@link ProxyException} (a 4xx/5xx with a sentence);
 * any other exception is a finding. Seeds: {@code src/test/resources/.../RequestCheckFuzzTestInputs}.
 */
class RequestCheckFuzzTest {

    private static final LimitsConfig LIMITS = LimitsConfig.defaults();

    @FuzzTest(maxDuration = "10s", maxExecutions = 50000)
    void anyBytesEndInACheckedRequestOrAProxyException(byte[] data) {
        RequestCheck check = new RequestCheck(LIMITS, CoreContext.VIA_NAME);
        HttpDecoderConfig decoder = new HttpDecoderConfig()
                .setMaxInitialLineLength(LIMITS.requestLineBytes())
                .setMaxHeaderSize(LIMITS.headerBytes())
                .setStrictLineParsing(true);
        EmbeddedChannel channel = new EmbeddedChannel(new HttpRequestDecoder(decoder));
        try {
            channel.writeInbound(Unpooled.wrappedBuffer(data));
            for (Object message; (message = channel.readInbound()) != null; ) {
                try {
                    if (message instanceof HttpRequest request) {
                        try {
                            RequestCheck.Checked checked = check.check(request);
                            if (checked.hostName() == null || checked.originForm() == null
                                    || !checked.originForm().startsWith("/") && !checked.originForm().equals("*")) {
                                throw new AssertionError("accepted without a host or an origin-form target: " + checked);
                            }
                        } catch (ProxyException refused) {
                            // a clear refusal: what a bad request must get
                        }
                    }
                } finally {
                    ReferenceCountUtil.release(message);
                }
            }
        } finally {
            channel.finishAndReleaseAll();
        }
    }
}
