package dev.muxgate.httpcore.origin;

import dev.muxgate.httpcore.config.RemapRule;
import java.net.URI;
import java.util.List;

/**
 * Maps a request's host and path to an origin with the configured rules, first match wins. The
 * matched path prefix is replaced by the target's path, the rest of the path and the query kept.
 */
public final class Remapper {

    private final List<Compiled> rules;

    public Remapper(List<RemapRule> rules) {
        this.rules = rules.stream().map(Compiled::new).toList();
    }

    /**
     * @param host a lower-case host name without port
     * @param uri  the request target in origin form ({@code /path?query})
     * @return the target, or null when no rule matches
     */
    public RemapTarget map(String host, String uri) {
        for (Compiled rule : rules) {
            if (rule.matches(host, uri)) {
                return new RemapTarget(rule.origin, rule.rewrite(uri), rule.rule);
            }
        }
        return null;
    }

    private static final class Compiled {
        final RemapRule rule;
        final OriginKey origin;
        final String targetPath;

        Compiled(RemapRule rule) {
            this.rule = rule;
            if (rule.targetsDemo()) {
                origin = OriginKey.DEMO;
                targetPath = "/";
            } else {
                URI t = rule.target();
                origin = rule.targetsTls()
                        ? OriginKey.tls(t.getHost(), t.getPort() < 0 ? 443 : t.getPort())
                        : OriginKey.of(t.getHost(), t.getPort() < 0 ? 80 : t.getPort());
                String path = t.getRawPath();
                targetPath = path == null || path.isEmpty() ? "/" : path;
            }
        }

        boolean matches(String host, String uri) {
            if (!RemapRule.ANY_HOST.equals(rule.host()) && !rule.host().equals(host)) {
                return false;
            }
            String prefix = rule.pathPrefix();
            if (!uri.startsWith(prefix)) {
                return false;
            }
            // "/api" must not match "/apiary": the prefix ends at a segment boundary.
            if (prefix.endsWith("/") || uri.length() == prefix.length()) {
                return true;
            }
            char next = uri.charAt(prefix.length());
            return next == '/' || next == '?';
        }

        String rewrite(String uri) {
            String prefix = rule.pathPrefix();
            String rest = uri.substring(prefix.length());
            if (targetPath.equals(prefix)) {
                return uri;
            }
            if (targetPath.endsWith("/") && rest.startsWith("/")) {
                return targetPath + rest.substring(1);
            }
            if (!targetPath.endsWith("/") && !rest.isEmpty() && rest.charAt(0) != '/' && rest.charAt(0) != '?') {
                return targetPath + '/' + rest;
            }
            return targetPath + rest;
        }
    }
}
