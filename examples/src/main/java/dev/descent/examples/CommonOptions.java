package dev.descent.examples;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options every demonstration takes. */
final class CommonOptions {
    @Option(names = "--seed", defaultValue = "42", description = "Seed for every random choice; the same seed gives the same report (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", defaultValue = "out", converter = NonEmptyPath.class,
            description = "Directory the charts and the report go to (default: ${DEFAULT-VALUE}).")
    Path out;

    /** An empty {@code --out ''} would silently mean the current directory: it is refused instead. */
    static final class NonEmptyPath implements picocli.CommandLine.ITypeConverter<Path> {
        @Override
        public Path convert(String value) {
            if (value.isBlank()) throw new picocli.CommandLine.TypeConversionException("expected a directory, got an empty path");
            return Path.of(value);
        }
    }
}
