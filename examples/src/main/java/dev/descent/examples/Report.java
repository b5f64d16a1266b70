package dev.descent.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/** Writes sections as {@code README.md} and a self-contained {@code index.html} beside their charts. */
final class Report {
    private Report() {}

    private static final String STYLE = "body{font-family:sans-serif;max-width:64em;margin:2em auto;padding:0 1em;line-height:1.45}"
            + ".table{overflow-x:auto;margin:1em 0}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .6em;"
            + "text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}td:first-child,th:first-child{text-align:left}"
            + "img{max-width:100%}figure{margin:1.5em 0}figcaption{color:#333;font-size:.95em;margin-top:.3em}"
            + "pre{background:#f4f4f4;padding:.6em;white-space:pre-wrap;overflow-wrap:anywhere}"
            + ".explain{color:#333;font-style:italic}nav ol{padding-left:1.5em}nav li li{font-size:.92em}.top{font-size:.85em}";

    /**
     * Writes both files into {@code dir} and returns the HTML file. Both open with a table of contents linking to every
     * section and every chart; headings and figures carry ids (GitHub's heading slugs, so the Markdown links work too).
     */
    static Path write(Path dir, String title, String intro, List<Section> sections) throws IOException {
        StringBuilder md = new StringBuilder("# ").append(title).append("\n\n").append(intro).append("\n\n## Contents\n\n");
        StringBuilder html = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(escape(title))
                .append("</title>\n<style>").append(STYLE).append("</style></head><body>\n<h1 id=\"top\">")
                .append(escape(title)).append("</h1>\n<p>").append(escape(intro)).append("</p>\n<nav id=\"contents\"><h2>Contents</h2>\n<ol>\n");
        for (Section s : sections) {
            String id = slug(s.title());
            md.append("- [").append(s.title()).append("](#").append(id).append(")\n");
            html.append("<li><a href=\"#").append(id).append("\">").append(escape(s.title())).append("</a><ol>\n");
            for (int i = 0; i < s.charts().size(); i++) {
                html.append("<li><a href=\"#").append(figureId(s.charts().get(i))).append("\">").append(escape(shortCaption(s, i))).append("</a></li>\n");
            }
            html.append("</ol></li>\n");
        }
        md.append('\n');
        html.append("</ol></nav>\n");
        for (Section s : sections) {
            md.append("## ").append(s.title()).append("\n\n").append(s.explanation()).append("\n\n");
            html.append("<h2 id=\"").append(slug(s.title())).append("\">").append(escape(s.title())).append("</h2>\n<p class=\"explain\">")
                    .append(escape(s.explanation())).append("</p>\n");
            for (int i = 0; i < s.charts().size(); i++) {
                Path chart = s.charts().get(i);
                String rel = dir.relativize(chart).toString().replace('\\', '/');
                String caption = s.caption(i) == null ? chart.getFileName().toString() : s.caption(i);
                md.append("![").append(chart.getFileName()).append("](").append(rel).append(")\n\n");
                if (s.caption(i) != null) md.append('*').append(caption).append("*\n\n");
                html.append("<figure id=\"").append(figureId(chart)).append("\"><img src=\"").append(escape(rel)).append("\" alt=\"")
                        .append(escape(caption)).append("\"><figcaption>").append(escape(caption)).append("</figcaption></figure>\n");
            }
            md.append(s.markdown()).append("\n\n");
            html.append(markdownToHtml(s.markdown())).append("<p class=\"top\"><a href=\"#contents\">↑ contents</a></p>\n");
        }
        html.append("</body></html>\n");
        writeAtomically(dir.resolve("README.md"), md.toString());
        Path index = dir.resolve("index.html");
        writeAtomically(index, html.toString());
        return index;
    }

    /** GitHub's heading anchor: lower case, punctuation dropped (letters, digits, '-' and '_' kept), spaces to '-'. */
    static String slug(String heading) {
        StringBuilder sb = new StringBuilder();
        heading.toLowerCase(java.util.Locale.ROOT).codePoints().forEach(c -> {
            if (Character.isLetterOrDigit(c) || c == '-' || c == '_') sb.appendCodePoint(c);
            else if (c == ' ') sb.append('-');
        });
        return sb.toString();
    }

    static String figureId(Path chart) {
        return "fig-" + slug(chart.getFileName().toString().replaceFirst("\\.png$", ""));
    }

    /** The contents entry of a chart: its caption's first sentence, or its file name. */
    private static String shortCaption(Section s, int i) {
        String c = s.caption(i);
        if (c == null) return s.charts().get(i).getFileName().toString();
        int end = c.indexOf(". ");
        return end > 0 ? c.substring(0, end) : c.replaceFirst("\\.$", "");
    }

    static void writeAtomically(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        try {
            Files.writeString(tmp, text);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The small Markdown subset the demos write: paragraphs, pipe tables and fenced code blocks. */
    static String markdownToHtml(String markdown) {
        StringBuilder out = new StringBuilder();
        String[] lines = markdown.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.startsWith("```")) {
                out.append("<pre>");
                while (++i < lines.length && !lines[i].startsWith("```")) out.append(escape(lines[i])).append('\n');
                out.append("</pre>\n");
            } else if (line.startsWith("|")) {
                out.append("<div class=\"table\"><table>\n");
                boolean header = true;
                for (; i < lines.length && lines[i].startsWith("|"); i++) {
                    if (lines[i].matches("\\|[\\s:|-]+\\|?")) continue;
                    String tag = header ? "th" : "td";
                    out.append("<tr>");
                    String row = lines[i].substring(1, lines[i].endsWith("|") ? lines[i].length() - 1 : lines[i].length());
                    for (String cell : row.split("\\|")) out.append('<').append(tag).append('>').append(escape(cell.strip())).append("</").append(tag).append('>');
                    out.append("</tr>\n");
                    header = false;
                }
                i--;
                out.append("</table></div>\n");
            } else if (!line.isBlank()) {
                out.append("<p>").append(escape(line)).append("</p>\n");
            }
        }
        return out.toString();
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
