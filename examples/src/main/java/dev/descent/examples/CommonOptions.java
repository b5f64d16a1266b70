package dev.descent.examples;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options every demonstration takes. */
final class CommonOptions {
    @Option(names = "--seed", defaultValue = "42", description = "Seed for every random choice; the same seed gives the same report (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", defaultValue = "out", description = "Directory the charts and the report go to (default: ${DEFAULT-VALUE}).")
    Path out;
}
