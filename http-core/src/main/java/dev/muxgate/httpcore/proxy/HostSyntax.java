package dev.muxgate.httpcore.proxy;

/**
 * What a valid Host (or {@code :authority}) looks like, shared by every protocol that hands
 * requests to the core, so an h2 or SPDY client cannot slip past a check an HTTP/1.1 client meets.
 */
public final class HostSyntax {

    private HostSyntax() {
    }

    /**
     * A Host value as RFC 9110 7.2 allows it: reg-name or IPv4 or [IPv6], optional port. Anything
     * else (userinfo, path characters, spaces) could steer remap differently from the origin.
     */
    public static boolean isValidHost(String host) {
        int n = host.length();
        if (n == 0 || n > 255) {
            return false;
        }
        int i = 0;
        if (host.charAt(0) == '[') {
            int close = host.indexOf(']');
            if (close < 0) {
                return false;
            }
            for (int j = 1; j < close; j++) {
                char c = host.charAt(j);
                if (!(isHexDigit(c) || c == ':' || c == '.')) {
                    return false;
                }
            }
            i = close + 1;
        } else {
            for (; i < n && host.charAt(i) != ':'; i++) {
                char c = host.charAt(i);
                if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                        || c == '-' || c == '.' || c == '_')) {
                    return false;
                }
            }
            if (i == 0) {
                return false;
            }
        }
        if (i == n) {
            return true;
        }
        if (host.charAt(i) != ':' || i + 1 == n || n - i - 1 > 5) {
            return false;
        }
        for (int j = i + 1; j < n; j++) {
            char c = host.charAt(j);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return Integer.parseInt(host.substring(i + 1)) <= 65535;
    }

    /** The host part of a valid Host value, lower case, without port or IPv6 brackets. */
    public static String hostName(String host) {
        String name;
        if (host.charAt(0) == '[') {
            name = host.substring(1, host.indexOf(']'));
        } else {
            int colon = host.indexOf(':');
            name = colon < 0 ? host : host.substring(0, colon);
        }
        return name.toLowerCase(java.util.Locale.ROOT);
    }

    private static boolean isHexDigit(char c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }
}
