package dev.muxgate.logtools;

/** A command line, config or format the tool cannot run with; its message is one sentence for the operator. */
final class UsageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    UsageException(String sentence) {
        super(sentence);
    }
}
