package dev.descent.nn.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Bitwise reproducibility across kernel thread counts and vector widths: the same seeded training run in child JVMs
 * with 1 and 2 processors (the kernels use one thread per processor) and with the widest vectors of the machine and
 * with 256-bit ones ({@code -XX:MaxVectorSize=32}) ends with identical bits. On an AVX-512 machine that compares 512-
 * and 256-bit vectors; elsewhere 256 and 128 ({@code -XX:MaxVectorSize=16}).
 */
class ReproducibilityTest {
    private static final String VECTORS = "--add-modules=jdk.incubator.vector";

    private static String run(String... options) throws IOException, InterruptedException {
        Process child = ChildJvm.start(List.of(options), SeededRun.class);
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, child.waitFor(), out);
        String[] lines = out.split("\n");
        return lines[lines.length - 1];
    }

    @Test
    void theSameSeedGivesTheSameBitsOnOneAndTwoThreadsAndTwoVectorWidths() throws Exception {
        boolean avx512 = Files.readString(Path.of("/proc/cpuinfo")).contains("avx512f");
        String narrow = avx512 ? "-XX:MaxVectorSize=32" : "-XX:MaxVectorSize=16";
        List<String> results = new ArrayList<>();
        for (String width : new String[] {"-XX:MaxVectorSize=64", narrow}) {
            for (String cpus : new String[] {"-XX:ActiveProcessorCount=1", "-XX:ActiveProcessorCount=2"}) results.add(run(VECTORS, width, cpus));
        }
        String wide = results.get(0).split(" ")[1], small = results.get(2).split(" ")[1];
        assumeTrue(!wide.equals(small), "the two runs did not get different vector widths: " + results);
        assertEquals(List.of("1", "2", "1", "2"), results.stream().map(r -> r.split(" ")[0]).toList(), "processor counts");
        System.out.println("ReproducibilityTest: " + results);
        for (String r : results) assertEquals(results.get(0).split(" ")[2], r.split(" ")[2], "digest of " + r + " vs " + results.get(0));
    }
}
