package dev.muxgate.httpcore.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muxgate.httpcore.config.AccessLogConfig;
import dev.muxgate.httpcore.log.AccessLogFormat.Element;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class AccessLogFormatTest {

    private static TransactionRecord fullRecord() {
        return new TransactionRecord()
                .startEpochMillis(1_732_550_000_123L)
                .startNanos(5_000_000_000L)
                .endNanos(5_042_900_000L)
                .clientIp("192.0.2.7")
                .clientPort(51234)
                .pluginTag("spdy")
                .pluginId(3)
                .connectionId(17)
                .streamId(5)
                .requestId(99)
                .method("GET")
                .url("/index.html?q=a%20b")
                .protocolVersion("HTTP/1.1")
                .requestBodyBytes(12)
                .proxyStatus(200)
                .proxyBodyBytes(5120)
                .serverStatus(204)
                .serverHost("origin.example")
                .secureProtocol("h2")
                .tlsVersion("TLSv1.3")
                .tlsCipher("TLS_AES_128_GCM_SHA256")
                .result(TransactionRecord.Result.ERR_CLIENT_ABORT)
                .reason("client went away");
    }

    private static String everyField() {
        return Arrays.stream(LogField.values()).map(f -> "%<" + f.atsName() + ">").collect(Collectors.joining("|"));
    }

    @Test
    void printsEveryField() {
        AccessLogFormat format = AccessLogFormat.parse(everyField());
        assertEquals("1732550000.123|42|192.0.2.7|51234|spdy|3|17|5|99|GET|/index.html?q=a%20b|HTTP/1.1|12|200|5120"
                        + "|204|origin.example|h2|TLSv1.3|TLS_AES_128_GCM_SHA256|ERR_CLIENT_ABORT|client\\x20went\\x20away",
                format.format(fullRecord()));
    }

    @Test
    void printsUnsetValuesAsDashOrZero() {
        AccessLogFormat format = AccessLogFormat.parse(everyField());
        assertEquals("0.000|0|-|0|-|0|0|0|0|-|-|-|0|0|0|-|-|-|-|-|TCP_MISS|-",
                format.format(new TransactionRecord()));
        assertEquals("-", AccessLogFormat.parse("%<crc>").format(new TransactionRecord().result(null)));
        assertEquals("-", AccessLogFormat.parse("%<chi>").format(new TransactionRecord().clientIp("")));
    }

    @Test
    void printsRequestStartWithThreeDigitsOfMilliseconds() {
        AccessLogFormat format = AccessLogFormat.parse("%<cqtq>");
        assertEquals("1732550000.005", format.format(new TransactionRecord().startEpochMillis(1_732_550_000_005L)));
        assertEquals("1732550000.050", format.format(new TransactionRecord().startEpochMillis(1_732_550_000_050L)));
        assertEquals("1732550001.000", format.format(new TransactionRecord().startEpochMillis(1_732_550_001_000L)));
    }

    @Test
    void neverPrintsANegativeElapsedTime() {
        TransactionRecord backwards = new TransactionRecord().startNanos(10_000_000).endNanos(0);
        assertEquals("0", AccessLogFormat.parse("%<ttms>").format(backwards));
    }

    @Test
    void formatToAppendsToWhatIsAlreadyThere() {
        StringBuilder out = new StringBuilder("> ");
        AccessLogFormat.parse("%<cqhm> %<pssc>").formatTo(out, fullRecord());
        assertEquals("> GET 200", out.toString());
    }

    @Test
    void givesBackItsFormatString() {
        AccessLogFormat format = AccessLogFormat.parse(AccessLogConfig.DEFAULT_FORMAT);
        assertEquals(AccessLogConfig.DEFAULT_FORMAT, format.toString());
        assertEquals(AccessLogFormat.parse(AccessLogConfig.DEFAULT_FORMAT), format);
        assertEquals(21, format.elements().size());
    }

    @Test
    void exposesLiteralsAndFieldsInOrder() {
        List<Element> elements = AccessLogFormat.parse("[%<chi>:%<chp>] 100%% %<crc>").elements();
        assertEquals(List.of(
                new Element.Literal("["),
                new Element.Field(LogField.CLIENT_IP),
                new Element.Literal(":"),
                new Element.Field(LogField.CLIENT_PORT),
                new Element.Literal("] 100% "),
                new Element.Field(LogField.RESULT)), elements);
    }

    @Test
    void printsPercentPercentAsOnePercent() {
        assertEquals("50% 200", AccessLogFormat.parse("50%% %<pssc>").format(fullRecord()));
        assertEquals("%", AccessLogFormat.parse("%%").format(fullRecord()));
    }

    @Test
    void findsFieldsByAtsName() {
        for (LogField field : LogField.values()) {
            assertEquals(field, LogField.fromAtsName(field.atsName()).orElseThrow());
        }
        assertTrue(LogField.fromAtsName("CHI").isEmpty());
    }

    @Test
    void rejectsAnUnknownFieldNamingItsPositionAndTheKnownFields() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AccessLogFormat.parse("%<chi> %<nope> %<crc>"));
        assertTrue(e.getMessage().contains("%<nope>"), e.getMessage());
        assertTrue(e.getMessage().contains("character 8"), e.getMessage());
        for (LogField field : LogField.values()) {
            assertTrue(e.getMessage().contains(field.atsName()), e.getMessage());
        }
    }

    @Test
    void rejectsAnUnterminatedField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AccessLogFormat.parse("%<chi> %<cqtq"));
        assertTrue(e.getMessage().contains("%<cqtq"), e.getMessage());
        assertTrue(e.getMessage().contains("character 8"), e.getMessage());
        assertTrue(e.getMessage().contains("'>'"), e.getMessage());
        assertTrue(e.getMessage().contains("cqssc"), e.getMessage());
    }

    @Test
    void rejectsOtherBadFormats() {
        for (String bad : List.of("", "%<>", "100% %<chi>", "%<chi> %", "%{chi}", "%<chi>\n", "%<chi>\r%<crc>",
                "a\0b", "# %<chi>", "%<Chi>")) {
            assertThrows(IllegalArgumentException.class, () -> AccessLogFormat.parse(bad), bad);
        }
    }

    @Test
    void allowsTabsBetweenFields() {
        assertEquals("GET\t200", AccessLogFormat.parse("%<cqhm>\t%<pssc>").format(fullRecord()));
    }
}
