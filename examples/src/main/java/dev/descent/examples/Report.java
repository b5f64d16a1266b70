package dev.descent.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/** Writes sections as {@code README.md} and a self-contained {@code index.html} beside their charts. */
final class Report {
    private Report() {}

    /** Writes both files into {@code dir} and returns the HTML file. */
    static Path write(Path dir, String title, String intro, List<Section> sections) throws IOException {
        StringBuilder md = new StringBuilder("# ").append(title).append("\n\n").append(intro).append("\n\n");
        StringBuilder html = new StringBuilder("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>").append(escape(title))
                .append("</title>\n<style>body{font-family:sans-serif;max-width:60em;margin:2em auto;line-height:1.45}"
                        + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .6em;text-align:right}"
                        + "td:first-child,th:first-child{text-align:left}img{max-width:100%}pre{background:#f4f4f4;padding:.6em;overflow:auto}"
                        + ".explain{color:#333;font-style:italic}</style></head><body>\n<h1>")
                .append(escape(title)).append("</h1>\n<p>").append(escape(intro)).append("</p>\n");
        for (Section s : sections) {
            md.append("## ").append(s.title()).append("\n\n").append(s.explanation()).append("\n\n");
            html.append("<h2>").append(escape(s.title())).append("</h2>\n<p class=\"explain\">").append(escape(s.explanation())).append("</p>\n");
            for (Path chart : s.charts()) {
                String rel = dir.relativize(chart).toString().replace('\\', '/');
                md.append("![").append(chart.getFileName()).append("](").append(rel).append(")\n\n");
                html.append("<p><img src=\"").append(escape(rel)).append("\" alt=\"").append(escape(chart.getFileName().toString())).append("\"></p>\n");
            }
            md.append(s.markdown()).append("\n\n");
            html.append(markdownToHtml(s.markdown()));
        }
        html.append("</body></html>\n");
        writeAtomically(dir.resolve("README.md"), md.toString());
        Path index = dir.resolve("index.html");
        writeAtomically(index, html.toString());
        return index;
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
                out.append("<table>\n");
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
                out.append("</table>\n");
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
