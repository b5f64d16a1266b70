package dev.descent.nn;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Scratch directories for the test classes that write many small files (the fuzzing properties). */
public final class Scratch {
    private Scratch() {}

    /** A new empty directory under the system's temporary directory, deleted with its files when the JVM exits. */
    public static Path directory(String prefix) {
        try {
            Path dir = Files.createTempDirectory(prefix);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> remove(dir)));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void remove(Path dir) {
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) Files.delete(p);
            Files.delete(dir);
        } catch (IOException ignored) {
            // a leftover in the temporary directory is harmless
        }
    }
}
