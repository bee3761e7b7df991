package dev.muxgate.logtools;

import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * {@code --engine spark}: folds the access logs as an Apache Spark job. The driver plans the parts
 * ({@link SparkPart}: whole files, large plain files as newline-aligned chunks), one Spark task
 * folds each with the same {@link AccessLogFold} as the builtin engine, and a tree of reductions on
 * the executors combines the {@link SparkTally tallies}, so the driver receives one tally, sized by
 * the distinct sessions, and every report is computed from it as from the builtin engine's.
 *
 * <p>Lives in log-tools' package so it runs that package's folding code as it is; a module of its
 * own so that the plain CLI neither carries nor builds against Spark, which is {@code provided}:
 * by {@code bin/muxgate-logs --engine spark} (Maven's resolution of this module, cached) or by
 * {@code spark-submit} on a cluster. Found with {@link java.util.ServiceLoader}.
 */
public final class SparkFoldEngine implements FoldEngine {

    static final String DEFAULT_MASTER = "local[*]";

    public SparkFoldEngine() {
    }

    @Override
    public String name() {
        return InputOptions.Engine.spark.name();
    }

    @Override
    public LogTally fold(Request request) {
        List<SparkPart> parts = SparkPart.plan(request.files(), request.chunkBytes());
        // A session already running in this JVM (a test's, or spark-submit's) is used and left running.
        boolean ours = SparkSession.getActiveSession().isEmpty() && SparkSession.getDefaultSession().isEmpty();
        SparkSession session = ours ? start(request.master()) : SparkSession.active();
        try {
            String format = request.format();
            boolean perMinute = request.perMinute();
            JavaSparkContext context = JavaSparkContext.fromSparkContext(session.sparkContext());
            context.setJobDescription("muxgate-logs: fold " + request.files().size() + " access log file(s)");
            SparkTally tally = context.parallelize(parts, parts.size())
                    .map(part -> SparkTally.fold(part, format, perMinute))
                    .treeReduce(SparkTally::combine, 2);
            return tally.result();
        } catch (RuntimeException e) {
            // Spark's messages carry the stack of where its context was made: the first line says what happened.
            String message = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
            throw new IllegalStateException("the Spark job failed: " + message, e);
        } finally {
            if (ours) {
                session.stop();
            }
        }
    }

    /** The jar (or classes directory) {@code type} was loaded from. */
    private static String jarOf(Class<?> type) {
        try {
            return java.nio.file.Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException | RuntimeException e) {
            throw new UsageException("cannot find the jar of " + type.getName() + " to send to the Spark executors: " + e);
        }
    }

    /**
     * A session on {@code master}: given, or spark-submit's ({@code spark.master}), or local mode
     * on every core of this process.
     */
    private static SparkSession start(String master) {
        String url = master != null ? master : System.getProperty("spark.master", DEFAULT_MASTER);
        SparkSession.Builder builder = SparkSession.builder().appName("muxgate-logs").master(url)
                .config("spark.ui.enabled", "false");
        if (url.startsWith("local")) {
            // Nothing leaves this process in local mode: no address but loopback is needed.
            builder.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1");
        } else if (System.getProperty("spark.jars") == null) {
            // Started by bin/muxgate-logs, not spark-submit: the executors get the folding code from here.
            builder.config("spark.jars", String.join(",", jarOf(SparkFoldEngine.class), jarOf(AccessLogFold.class),
                    jarOf(dev.muxgate.httpcore.log.AccessLogFormat.class)));
        }
        try {
            return builder.getOrCreate();
        } catch (RuntimeException e) {
            throw new UsageException("cannot start Spark with master '" + url + "': " + e.getMessage());
        }
    }
}
