package dev.muxgate.httpcore.origin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.muxgate.httpcore.config.RemapRule;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class RemapperTest {

    private static RemapRule rule(String host, String prefix, String target) {
        return new RemapRule(host, prefix, URI.create(target));
    }

    @Test
    void firstMatchingRuleWins() {
        Remapper r = new Remapper(List.of(
                rule("api.example", "/v1", "http://a.internal:8081/backend"),
                rule("api.example", "/", "http://b.internal"),
                rule("*", "/", "http://c.internal:9000")));
        RemapTarget v1 = r.map("api.example", "/v1/users?x=1");
        assertEquals(OriginKey.of("a.internal", 8081), v1.origin());
        assertEquals("/backend/users?x=1", v1.uri());
        assertEquals(OriginKey.of("b.internal", 80), r.map("api.example", "/v2").origin());
        assertEquals(OriginKey.of("c.internal", 9000), r.map("other.example", "/v1/users").origin());
    }

    @Test
    void prefixEndsAtASegmentBoundary() {
        Remapper r = new Remapper(List.of(rule("*", "/api", "http://a.internal/x")));
        assertEquals("/x", r.map("h", "/api").uri());
        assertEquals("/x/", r.map("h", "/api/").uri());
        assertEquals("/x/y", r.map("h", "/api/y").uri());
        assertEquals("/x?q=1", r.map("h", "/api?q=1").uri());
        assertNull(r.map("h", "/apiary"));
        assertNull(r.map("h", "/ap"));
    }

    @Test
    void prefixRewriteKeepsRestAndQuery() {
        Remapper r = new Remapper(List.of(
                rule("*", "/static/", "http://a.internal/files/"),
                rule("*", "/same", "http://b.internal/same"),
                rule("*", "/", "http://c.internal/root/")));
        assertEquals("/files/css/x.css?v=2", r.map("h", "/static/css/x.css?v=2").uri());
        assertEquals("/same/z", r.map("h", "/same/z").uri());
        assertEquals("/root/anything?q", r.map("h", "/anything?q").uri());
        assertEquals("/root/", r.map("h", "/").uri());
    }

    @Test
    void hostRulesAreCaseInsensitiveAndExact() {
        Remapper r = new Remapper(List.of(rule("API.Example", "/", "http://a.internal")));
        assertEquals(OriginKey.of("a.internal", 80), r.map("api.example", "/").origin());
        assertNull(r.map("www.api.example", "/"));
        assertNull(r.map("api.example.evil", "/"));
    }

    @Test
    void noRuleMeansNoTarget() {
        assertNull(new Remapper(List.of()).map("h", "/"));
    }

    @Test
    void demoTargetKeepsThePath() {
        Remapper r = new Remapper(List.of(RemapRule.DEMO_CATCH_ALL));
        RemapTarget t = r.map("anything", "/echo?x");
        assertEquals(OriginKey.DEMO, t.origin());
        assertEquals("/echo?x", t.uri());
    }
}
