/**
 * The {@code descent} command-line program and its demonstrations.
 */
package dev.descent.examples;
