package dev.descent.examples;

import java.nio.file.Path;
import java.util.List;

/**
 * One demonstration's part of a report: a title, a short explanation of what the reader sees, a Markdown body with
 * the numbers behind the charts, the charts themselves (PNG files) and, for each chart, a caption saying what to see
 * in it ({@code captions} may be shorter than {@code charts}: a chart without one is captioned by its file name).
 */
record Section(String title, String explanation, String markdown, List<Path> charts, List<String> captions) {
    Section {
        charts = List.copyOf(charts);
        captions = List.copyOf(captions);
        if (captions.size() > charts.size()) {
            throw new IllegalArgumentException("Section " + title + ": " + captions.size() + " captions for " + charts.size() + " charts");
        }
    }

    /** A section whose charts have no captions yet. */
    Section(String title, String explanation, String markdown, List<Path> charts) {
        this(title, explanation, markdown, charts, List.of());
    }

    /** The caption of chart {@code i}, or null. */
    String caption(int i) {
        return i < captions.size() ? captions.get(i) : null;
    }
}
