package dev.muxgate.gateway.warmup;

import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.ssl.ApplicationProtocolNames;
import java.util.List;

/**
 * What a kind of real client sends when it opens a session: its ALPN list, its SETTINGS, the
 * connection window it grants, and the request headers it adds. The warm-up rotates through them.
 *
 * <p>Why: C2 compiles what the warm-up showed it, and turns a branch the warm-up never took into
 * a trap. A warm-up client with Netty's bare defaults left the first real clients (h2load, with
 * its own SETTINGS, ALPN list and HPACK-indexed headers) to hit those traps: about 200 methods were
 * thrown out and recompiled after the listener opened, among them the ALPN choice, SETTINGS
 * checks and the HPACK decoder, and the first 200 real handshakes cost 4 ms of CPU each.
 */
record ClientShape(String name, List<String> alpn, Http2Settings settings, int connectionWindowIncrement,
                   List<String[]> headers) {

    /** Browsers, curl, h2load and nghttp, as their first flight looks (values from their defaults). */
    static final List<ClientShape> COMMON = List.of(
            new ClientShape("browser", List.of(ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1),
                    new Http2Settings().headerTableSize(65_536).pushEnabled(false).initialWindowSize(6_291_456)
                            .maxHeaderListSize(262_144),
                    15_663_105,
                    List.of(new String[] {"user-agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120.0"},
                            new String[] {"accept", "text/html,application/xhtml+xml,*/*;q=0.8"},
                            new String[] {"accept-encoding", "gzip, deflate, br"},
                            new String[] {"accept-language", "en-US,en;q=0.9"},
                            new String[] {"cookie", "session=warm-up"},
                            new String[] {"cookie", "theme=dark"})),
            new ClientShape("h2load", List.of(ApplicationProtocolNames.HTTP_2, "h2-16", "h2-14",
                    ApplicationProtocolNames.HTTP_1_1),
                    new Http2Settings().maxConcurrentStreams(100).initialWindowSize(1_073_741_823).pushEnabled(false),
                    1_073_676_288,
                    List.<String[]>of(new String[] {"user-agent", "h2load nghttp2/1.52.0"})),
            new ClientShape("curl", List.of(ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1),
                    new Http2Settings().maxConcurrentStreams(100).initialWindowSize(33_554_432).pushEnabled(false),
                    33_488_897,
                    List.of(new String[] {"user-agent", "curl/7.88.1"}, new String[] {"accept", "*/*"})),
            new ClientShape("netty", List.of(ApplicationProtocolNames.HTTP_2), Http2Settings.defaultSettings(), 0,
                    List.of()));

    static ClientShape of(int n) {
        return COMMON.get(Math.floorMod(n, COMMON.size()));
    }

    void addTo(Http2Headers request) {
        for (String[] header : headers) {
            request.add(header[0], header[1]);
        }
    }
}
