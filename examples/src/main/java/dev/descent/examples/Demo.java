package dev.descent.examples;

import java.nio.file.Path;

/** A demonstration: runs with a seed, writes its charts into a directory and returns its report section. */
interface Demo {
    /** The subcommand name, also the file-name prefix of its charts. */
    String name();

    Section run(long seed, Path dir, Progress progress) throws Exception;
}
