/**
 * The {@code descent} command-line program ({@link dev.descent.examples.Descent}) and its demonstrations: each
 * subcommand writes PNG charts and a Markdown/HTML report; {@code tour} runs them all into one report.
 */
package dev.descent.examples;
