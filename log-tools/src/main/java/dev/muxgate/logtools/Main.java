package dev.muxgate.logtools;

/**
 * {@code muxgate-logs}: the operator's report tool over the access and session logs. Its commands
 * (summary, sessions, correlate, timeline) are not built yet; until they are, it says so plainly
 * and exits with the usage status rather than pretending to report.
 */
public final class Main {

    static final int EXIT_USAGE = 2;

    private Main() {
    }

    public static void main(String[] args) {
        System.err.println("muxgate-logs: no commands are available yet (summary, sessions, correlate and "
                + "timeline are planned); see README.md");
        System.exit(EXIT_USAGE);
    }
}
