package dev.muxgate.spdy.spdy;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.muxgate.spdy.h2.MalformedRequestException;
import dev.muxgate.spdy.h2.TranslatedRequestOracle;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.spdy.DefaultSpdyHeaders;
import io.netty.handler.codec.spdy.SpdyHeaders;

/**
 * Coverage-guided fuzzing of the SPDY -> HTTP/1.1 request translation: any SYN_STREAM header
 * block must be refused with a {@link MalformedRequestException} or become an HTTP/1.1 request
 * that reads back unchanged ({@link TranslatedRequestOracle}). Any other exception is a finding.
 */
class SpdyRequestTranslatorFuzzTest {

    @FuzzTest(maxDuration = "10s", maxExecutions = 50000)
    void anyHeaderBlockIsRefusedOrTranslatesToAnUnambiguousRequest(byte[] data) {
        SpdyHeaders headers = new DefaultSpdyHeaders(false);
        for (TranslatedRequestOracle.Field f : TranslatedRequestOracle.fields(data)) {
            headers.add(f.name(), f.value());
        }
        HttpRequest request;
        try {
            request = SpdyRequestTranslator.translate(headers, TranslatedRequestOracle.endOfStream(data));
        } catch (MalformedRequestException refused) {
            return;
        }
        TranslatedRequestOracle.assertSurvivesHttp11(request);
    }
}
