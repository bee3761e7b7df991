package dev.muxgate.logtools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportTest {

    /** Any attribute or CSS that would make the browser fetch something. */
    private static final Pattern EXTERNAL = Pattern.compile("(?i)(src|href)\\s*=|url\\(|@import|https?://");

    @TempDir
    Path dir;

    @Test
    void summaryHtmlIsOneSelfContainedPageWithChartsOfEveryProtocol() throws IOException {
        Path log = Files.writeString(dir.resolve("access.log"), String.join("\n", GeneratedLogTest.lines()) + "\n");
        Path page = dir.resolve("report.html");
        LogFixtures.Run run = LogFixtures.run("summary", "--html", page.toString(), log.toString());
        assertEquals(0, run.status(), run.err());
        assertTrue(run.out().contains("spdy/3.1"), "the table is still printed: " + run.out());
        String html = Files.readString(page);
        assertTrue(html.startsWith("<!DOCTYPE html>"), html);
        for (String protocol : new String[] {"h2", "http/1.1", "spdy/3.1", "untagged"}) {
            assertTrue(html.contains(">" + protocol + "<"), protocol);
        }
        assertEquals(3, html.split("<svg", -1).length - 1, "three charts");
        assertTrue(html.contains("<polyline"), "the timeline is drawn");
        assertFalse(EXTERNAL.matcher(html).find(), "no external resource: " + EXTERNAL.matcher(html).results()
                .map(m -> m.group()).toList());
    }

    @Test
    void timelineHtmlIsWrittenToo() throws IOException {
        Path log = Files.writeString(dir.resolve("access.log"), ReportsTest.smallLog());
        Path page = dir.resolve("timeline.html");
        LogFixtures.Run run = LogFixtures.run("timeline", "--html", page.toString(), log.toString());
        assertEquals(0, run.status(), run.err());
        assertTrue(Files.readString(page).contains("<svg"));
    }

    @Test
    void textFromTheLogIsEscaped() throws IOException {
        Path log = Files.writeString(dir.resolve("access.log"),
                LogFixtures.access(60_000, "<b>", "x<script>&", 1, 200, 1) + "\n");
        Path page = dir.resolve("report.html");
        assertEquals(0, LogFixtures.run("summary", "--html", page.toString(), log.toString()).status());
        String html = Files.readString(page);
        assertTrue(html.contains("x&lt;script&gt;&amp;"), html);
        assertFalse(html.contains("<script"), html);
    }

    @Test
    void anUnwritableHtmlFileIsAUsageErrorInOneSentence() throws IOException {
        Path log = Files.writeString(dir.resolve("access.log"), ReportsTest.smallLog());
        LogFixtures.Run run = LogFixtures.run("summary", "--html", dir.resolve("no/such/dir/r.html").toString(),
                log.toString());
        assertEquals(2, run.status());
        assertTrue(run.err().startsWith("muxgate-logs: cannot write the HTML report"), run.err());
        assertEquals(1, run.err().strip().lines().count(), run.err());
    }
}
