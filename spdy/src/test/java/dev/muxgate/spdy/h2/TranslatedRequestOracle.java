package dev.muxgate.spdy.h2;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * What the fuzz tests of the h2 and SPDY request translation feed in and check. Input: a first
 * byte of flags (bit 0: the HEADERS frame ends the stream), then fields, one per line, name and
 * value split at the first tab, every byte taken as one ISO-8859-1 character (so CR, NUL, colons
 * and upper case all come in). Oracle: a request the translation accepts must survive the trip
 * the core makes it take, written as HTTP/1.1 and read back by a strict decoder, unchanged: the
 * same method, target and fields in the same order. A request that reads back differently (or
 * not at all) is one the core and an origin could disagree about: smuggling.
 */
public final class TranslatedRequestOracle {

    /** One decoded field of the input. */
    public record Field(String name, String value) {
    }

    private TranslatedRequestOracle() {
    }

    public static boolean endOfStream(byte[] data) {
        return data.length > 0 && (data[0] & 1) != 0;
    }

    public static List<Field> fields(byte[] data) {
        List<Field> fields = new ArrayList<>();
        if (data.length <= 1) {
            return fields;
        }
        String text = new String(data, 1, data.length - 1, StandardCharsets.ISO_8859_1);
        for (String line : text.split("\n", -1)) {
            int tab = line.indexOf('\t');
            fields.add(tab < 0 ? new Field(line, "") : new Field(line.substring(0, tab), line.substring(tab + 1)));
        }
        return fields;
    }

    /** Throws AssertionError when {@code request} does not read back as it was written. */
    public static void assertSurvivesHttp11(HttpRequest request) {
        EmbeddedChannel encoder = new EmbeddedChannel(new HttpRequestEncoder());
        EmbeddedChannel decoder = new EmbeddedChannel(new HttpRequestDecoder(
                new HttpDecoderConfig().setMaxHeaderSize(1 << 20).setMaxInitialLineLength(1 << 20).setStrictLineParsing(true)));
        try {
            encoder.writeOutbound(request);
            CompositeByteBuf wire = Unpooled.compositeBuffer();
            for (ByteBuf b; (b = encoder.readOutbound()) != null; ) {
                wire.addComponent(true, b);
            }
            String written = wire.toString(StandardCharsets.ISO_8859_1);
            decoder.writeInbound(wire);
            Object first = decoder.readInbound();
            try {
                if (!(first instanceof HttpRequest back)) {
                    throw new AssertionError("the HTTP/1.1 form does not read back as a request: " + first + "\n" + written);
                }
                if (back.decoderResult().isFailure()) {
                    throw new AssertionError("the HTTP/1.1 form fails to decode (" + back.decoderResult().cause()
                            + "):\n" + written);
                }
                if (!back.method().equals(request.method()) || !back.uri().equals(request.uri())) {
                    throw new AssertionError("method or target changed: " + back.method() + " " + back.uri()
                            + " after " + request.method() + " " + request.uri());
                }
                Iterator<Map.Entry<String, String>> sent = request.headers().iteratorAsString();
                Iterator<Map.Entry<String, String>> got = back.headers().iteratorAsString();
                while (sent.hasNext() && got.hasNext()) {
                    Map.Entry<String, String> s = sent.next();
                    Map.Entry<String, String> g = got.next();
                    if (!s.getKey().equalsIgnoreCase(g.getKey()) || !s.getValue().equals(g.getValue())) {
                        throw new AssertionError("field changed: " + s + " read back as " + g + "\n" + written);
                    }
                }
                if (sent.hasNext() || got.hasNext()) {
                    throw new AssertionError("the fields differ in number:\n" + written);
                }
            } finally {
                ReferenceCountUtil.release(first);
            }
        } finally {
            encoder.finishAndReleaseAll();
            decoder.finishAndReleaseAll();
        }
    }
}
