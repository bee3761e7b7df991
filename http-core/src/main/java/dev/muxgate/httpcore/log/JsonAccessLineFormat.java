package dev.muxgate.httpcore.log;

import java.util.List;

/**
 * The access log as JSON Lines: one object per transaction, with a member for each field the
 * configured format names, under the same name ({@code {"cqtq":1732550000.123,"ttms":5,
 * "chi":"203.0.113.7","pitag":"h2","piid":17,...}}), in the format's order. The format's literal
 * text is left out. Numbers are JSON numbers; unset text and an origin status nobody sent
 * ({@code -} in a text line) are {@code null}; text is escaped as {@link JsonText} says.
 */
public final class JsonAccessLineFormat implements LineFormatter<TransactionRecord> {

    private final LogField[] fields;

    public JsonAccessLineFormat(AccessLogFormat format) {
        this.fields = format.elements().stream()
                .filter(AccessLogFormat.Element.Field.class::isInstance)
                .map(e -> ((AccessLogFormat.Element.Field) e).field())
                .distinct()
                .toArray(LogField[]::new);
        if (fields.length == 0) {
            throw new IllegalArgumentException("access log format names no field, so a JSON line would be empty");
        }
    }

    /** The fields of each object, in order. */
    public List<LogField> fields() {
        return List.of(fields);
    }

    @Override
    public void formatTo(StringBuilder line, TransactionRecord record) {
        line.append('{');
        for (int i = 0; i < fields.length; i++) {
            if (i > 0) {
                line.append(',');
            }
            JsonText.appendName(line, fields[i].atsName());
            fields[i].appendJson(line, record);
        }
        line.append('}');
    }
}
