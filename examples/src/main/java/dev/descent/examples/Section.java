package dev.descent.examples;

import java.nio.file.Path;
import java.util.List;

/**
 * One demonstration's part of a report: a title, a short explanation of what the reader sees, a Markdown body with
 * the numbers behind the charts, and the charts themselves (PNG files).
 */
record Section(String title, String explanation, String markdown, List<Path> charts) {}
