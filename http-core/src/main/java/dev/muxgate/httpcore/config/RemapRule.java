package dev.muxgate.httpcore.config;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;

/**
 * One remap rule: requests whose host matches {@code host} ({@code *} for any) and whose path
 * starts with {@code pathPrefix} go to {@code target}, the prefix replaced by the target's path.
 * The target is an {@code http://host[:port][/path]} or {@code https://host[:port][/path]} URL
 * (TLS to the origin, verified), or {@code internal:demo}, the built-in demo origin.
 */
public record RemapRule(String host, String pathPrefix, URI target) {

    public static final String ANY_HOST = "*";
    public static final URI DEMO_TARGET = URI.create("internal:demo");
    public static final RemapRule DEMO_CATCH_ALL = new RemapRule(ANY_HOST, "/", DEMO_TARGET);

    public RemapRule {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(pathPrefix, "pathPrefix");
        Objects.requireNonNull(target, "target");
        host = host.toLowerCase(Locale.ROOT);
        if (host.isEmpty()) {
            throw new IllegalArgumentException("remap host must not be empty (use * for any)");
        }
        if (!pathPrefix.startsWith("/")) {
            throw new IllegalArgumentException("remap path must start with /, got " + pathPrefix);
        }
        if (!isDemo(target)) {
            if (!"http".equalsIgnoreCase(target.getScheme()) && !"https".equalsIgnoreCase(target.getScheme())) {
                throw new IllegalArgumentException("remap target must be http://host[:port][/path], "
                        + "https://host[:port][/path] or internal:demo, got " + target);
            }
            if (target.getHost() == null) {
                throw new IllegalArgumentException("remap target has no host: " + target);
            }
            if (target.getRawQuery() != null || target.getRawFragment() != null
                    || target.getRawUserInfo() != null) {
                throw new IllegalArgumentException(
                        "remap target must not carry user info, query or fragment: " + target);
            }
        }
    }

    /** TLS to the origin. */
    public boolean targetsTls() {
        return "https".equalsIgnoreCase(target.getScheme());
    }

    public boolean targetsDemo() {
        return isDemo(target);
    }

    private static boolean isDemo(URI uri) {
        return DEMO_TARGET.equals(uri);
    }
}
