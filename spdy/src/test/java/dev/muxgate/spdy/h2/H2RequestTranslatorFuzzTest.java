package dev.muxgate.spdy.h2;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;

/**
 * Coverage-guided fuzzing of the h2 -> HTTP/1.1 request translation: any header list must be
 * refused with a {@link MalformedRequestException} (RST_STREAM PROTOCOL_ERROR) or become an
 * HTTP/1.1 request that reads back unchanged ({@link TranslatedRequestOracle}). Any other exception is a finding.
 */
class H2RequestTranslatorFuzzTest {

    @FuzzTest(maxDuration = "10s", maxExecutions = 50000)
    void anyHeaderListIsRefusedOrTranslatesToAnUnambiguousRequest(byte[] data) {
        // No validation here: HPACK delivers whatever bytes a client sends, and so must the test.
        Http2Headers headers = new DefaultHttp2Headers(false);
        for (TranslatedRequestOracle.Field f : TranslatedRequestOracle.fields(data)) {
            headers.add(f.name(), f.value());
        }
        HttpRequest request;
        try {
            request = H2RequestTranslator.translate(headers, TranslatedRequestOracle.endOfStream(data));
        } catch (MalformedRequestException refused) {
            return;
        }
        TranslatedRequestOracle.assertSurvivesHttp11(request);
    }
}
