package dev.descent.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report a reader opens: contents with working links, ids on headings and figures, captions, readable tables. */
class ReportTest {
    static List<Section> sections(Path dir) {
        return List.of(
                new Section("Newton's method, conditioning & saddles", "Explained.", "| κ | error |\n|---|---|\n| 1 | 1.28e-01 |\n\n```\nlong line\n```",
                        List.of(dir.resolve("newton-a.png"), dir.resolve("newton-b.png")), List.of("Newton needs one step. Gradient descent needs many.")),
                new Section("Vanishing gradients", "More.", "text", List.of(dir.resolve("vanishing.png"))));
    }

    @Test
    void everySectionAndChartIsLinkedFromTheContentsAndEveryLinkHasItsTarget(@TempDir Path dir) throws Exception {
        String html = Files.readString(Report.write(dir, "Tour", "Intro.", sections(dir)));
        Set<String> ids = new HashSet<>(), hrefs = new HashSet<>();
        for (Matcher m = Pattern.compile(" id=\"([^\"]+)\"").matcher(html); m.find(); ) ids.add(m.group(1));
        for (Matcher m = Pattern.compile(" href=\"#([^\"]+)\"").matcher(html); m.find(); ) hrefs.add(m.group(1));
        assertTrue(ids.containsAll(hrefs), "links without a target: " + hrefs + " vs " + ids);
        assertTrue(hrefs.containsAll(Set.of("newtons-method-conditioning--saddles", "vanishing-gradients", "fig-newton-a", "fig-newton-b",
                "fig-vanishing")), hrefs.toString());
        assertTrue(html.contains("<figcaption>Newton needs one step. Gradient descent needs many.</figcaption>"), html);
        assertTrue(html.contains(">Newton needs one step</a>"), "the contents quote the caption's first sentence: " + html);
        assertTrue(html.contains("<div class=\"table\"><table>"), "tables scroll instead of squeezing their columns");
        assertTrue(html.contains("white-space:nowrap"), "numbers in table cells do not wrap");
        assertTrue(html.contains("pre{background:#f4f4f4;padding:.6em;white-space:pre-wrap"), "code blocks wrap instead of being cut");
    }

    @Test
    void theMarkdownHasContentsWithGitHubAnchorsAndTheCaptions(@TempDir Path dir) throws Exception {
        Report.write(dir, "Tour", "Intro.", sections(dir));
        String md = Files.readString(dir.resolve("README.md"));
        assertTrue(md.contains("## Contents\n\n- [Newton's method, conditioning & saddles](#newtons-method-conditioning--saddles)\n"
                + "- [Vanishing gradients](#vanishing-gradients)\n"), md);
        assertTrue(md.contains("![newton-a.png](newton-a.png)\n\n*Newton needs one step. Gradient descent needs many.*"), md);
    }

    @Test
    void slugsFollowGitHub() {
        assertEquals("newtons-method-conditioning-saddles-and-line-search", Report.slug("Newton's method, conditioning, saddles and line search"));
        assertEquals("full-batch-mini-batch-and-stochastic-gradient-descent", Report.slug("Full-batch, mini-batch and stochastic gradient descent"));
    }
}
