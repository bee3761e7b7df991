package dev.muxgate.gateway.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class JsonWriterTest {

    private static String string(String text) {
        StringBuilder out = new StringBuilder();
        JsonWriter.string(out, text);
        return out.toString();
    }

    @Test
    void quotesBackslashesAndControlCharactersAreEscaped() {
        assertEquals("\"a\\\"b\\\\c\"", string("a\"b\\c"));
        assertEquals("\"\\n\\r\\t\\b\\f\"", string("\n\r\t\b\f"));
        assertEquals("\"\\u0000\\u001f\\u007f\"", string("\u0000\u001f\u007f"));
    }

    @Test
    void javascriptLineBreaksAndLoneSurrogatesAreEscapedButPairsKept() {
        assertEquals("\"\\u2028\\u2029\"", string("\u2028\u2029"));
        assertEquals("\"\\ud800x\\udc00\"", string("\ud800x\udc00"));
        assertEquals("\"\ud83d\ude00 caf\u00e9 </script>\"", string("\ud83d\ude00 caf\u00e9 </script>"));
    }

    @Test
    void objectsAndArraysGetTheirCommas() {
        String json = new JsonWriter(new StringBuilder())
                .beginArray()
                .beginObject().name("a").value(1).name("b").value("x").name("c").value((String) null).endObject()
                .beginObject().endObject()
                .beginArray().value(-2).value(3).endArray()
                .endArray()
                .toString();
        assertEquals("[{\"a\":1,\"b\":\"x\",\"c\":null},{},[-2,3]]", json);
    }
}
