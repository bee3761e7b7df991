package dev.muxgate.httpcore.config;

/**
 * A configuration file the gateway cannot start with: what is wrong, said as one sentence, and
 * where (file, line, dotted key path) so an operator can go straight to it. Its message is meant to
 * be printed as it is, without a stack trace, e.g.
 * {@code conf/gateway.yaml:12: limits.header-bytes: expected a size such as 64k or 1m, got "lots"}.
 */
public final class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String file;
    private final int line;
    private final String keyPath;
    private final String sentence;

    /**
     * @param file     the file as the operator named it
     * @param line     1-based line, 0 when unknown
     * @param keyPath  dotted key path such as {@code remap[2].to}, empty when the error is not about
     *                 one key (a YAML syntax error, an unreadable file)
     * @param sentence what is wrong
     */
    public ConfigException(String file, int line, String keyPath, String sentence) {
        this(file, line, keyPath, sentence, null);
    }

    public ConfigException(String file, int line, String keyPath, String sentence, Throwable cause) {
        super(format(file, line, keyPath, sentence), cause);
        this.file = file;
        this.line = Math.max(0, line);
        this.keyPath = keyPath == null ? "" : keyPath;
        this.sentence = sentence;
    }

    public String file() {
        return file;
    }

    /** The 1-based line, 0 when unknown. */
    public int line() {
        return line;
    }

    /** The dotted key path, empty when the error is not about one key. */
    public String keyPath() {
        return keyPath;
    }

    public String sentence() {
        return sentence;
    }

    private static String format(String file, int line, String keyPath, String sentence) {
        StringBuilder message = new StringBuilder(file);
        if (line > 0) {
            message.append(':').append(line);
        }
        message.append(": ");
        if (keyPath != null && !keyPath.isEmpty()) {
            message.append(keyPath).append(": ");
        }
        return message.append(sentence).toString();
    }
}
