package dev.descent.core.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

/** The vector kernel against the scalar specification. */
class VectorMatMulTest {

    @Property(seed = "20240917", tries = 300)
    void matchesTheScalarReferenceForAnyShapeLayoutAndBeta(
            @ForAll("sizes") int m, @ForAll("sizes") int n, @ForAll("sizes") int k,
            @ForAll boolean transA, @ForAll boolean transB, @ForAll("betas") double beta,
            @ForAll @IntRange(max = 3) int pad, @ForAll @IntRange(max = 5) int off, @ForAll long seed) {
        assertMatchesScalar(new GemmCase(transA, transB, m, n, k, beta, pad, off, seed), 1);
    }

    @Property(seed = "20240918", tries = 12)
    void givesBitIdenticalResultsForAnyThreadCount(
            @ForAll @IntRange(min = 50, max = 260) int m, @ForAll @IntRange(min = 130, max = 260) int n,
            @ForAll @IntRange(min = 330, max = 520) int k,
            @ForAll boolean transA, @ForAll boolean transB, @ForAll("betas") double beta, @ForAll long seed) {
        assertEquals(2, VectorMatMul.threadsFor(m, n, k, 2), "the product is large enough to be split");
        GemmCase problem = new GemmCase(transA, transB, m, n, k, beta, 1, 3, seed);
        double[] one = problem.run(GemmCase.VECTOR, 1);
        assertArrayEquals(one, problem.run(GemmCase.VECTOR, 2));
        assertArrayEquals(one, problem.run(GemmCase.VECTOR, 3));
    }

    @Example
    void everyRaggedEdgeOfTheSmallPathIsCovered() {
        // Fewer rows than a tile (one row repeated), and every overlap of a shifted last row or column tile.
        int nr = VectorMatMul.NR;
        for (int m = 1; m <= 2 * VectorMatMul.DIRECT_MR + 1; m++) {
            for (int n = nr; n <= 2 * nr + 1; n++) {
                for (double beta : new double[] {0, -0.75}) {
                    assertMatchesScalar(new GemmCase(m % 2 == 0, false, m, n, 9, beta, 1, 2, m * 100 + n), 1);
                }
            }
        }
    }

    @Example
    void aSmallBReadInPlaceIsCorrectAndThreadIndependent() {
        // At most IN_PLACE_ROWS rows and a small B that is not transposed: the kernel reads B's full strips where
        // they are and only a ragged last strip is packed; two k blocks, padded rows, offsets, beta, A either way.
        int nr = VectorMatMul.NR;
        GemmCase[] cases = {
            new GemmCase(false, false, VectorMatMul.IN_PLACE_ROWS - 3, 2 * nr + 5, VectorMatMul.KC + 70, -0.75, 2, 3, 5),
            new GemmCase(true, false, VectorMatMul.IN_PLACE_ROWS, 130, VectorMatMul.KC + 4, 1, 1, 1, 6), // ragged for any NR
        };
        for (GemmCase c : cases) {
            assertTrue(c.m() <= VectorMatMul.IN_PLACE_ROWS && (long) c.k() * c.n() <= VectorMatMul.IN_PLACE_B
                    && (long) c.m() * c.n() * c.k() >= VectorMatMul.SMALL, "the case takes the in-place path");
            assertMatchesScalar(c, 1);
        }
        GemmCase shared = cases[1];
        assertEquals(2, VectorMatMul.threadsFor(shared.m(), shared.n(), shared.k(), 2));
        assertArrayEquals(shared.run(GemmCase.VECTOR, 1), shared.run(GemmCase.VECTOR, 2));
    }

    @Example
    void panelsWiderThanOneBlockOfColumnsAreCorrectAndThreadIndependent() {
        GemmCase wide = new GemmCase(true, false, 83, VectorMatMul.NC + 37, 100, 1, 2, 1, 7);
        assertEquals(2, VectorMatMul.threadsFor(wide.m(), wide.n(), wide.k(), 2));
        assertMatchesScalar(wide, 1);
        assertArrayEquals(wide.run(GemmCase.VECTOR, 1), wide.run(GemmCase.VECTOR, 2));
    }

    @Example
    void manyPanelsAlternatingBetweenTwoBuffersAreCorrectAndThreadIndependent() {
        // Two column panels times three k blocks: with several threads, panels reuse the two packed-B buffers.
        GemmCase deep = new GemmCase(false, true, 70, VectorMatMul.NC + 37, 2 * VectorMatMul.KC + 5, -0.75, 1, 2, 11);
        assertEquals(2, VectorMatMul.threadsFor(deep.m(), deep.n(), deep.k(), 2));
        assertMatchesScalar(deep, 1);
        double[] one = deep.run(GemmCase.VECTOR, 1);
        for (int threads = 2; threads <= 4; threads++) {
            assertArrayEquals(one, deep.run(GemmCase.VECTOR, threads), threads + " threads");
        }
    }

    @Example
    void aProductCompletesOnTheCallingThreadWhenNoPoolThreadIsFree() throws InterruptedException {
        // Every worker of the common pool is kept busy, so the calling thread must do all the work alone.
        int workers = ForkJoinPool.commonPool().getParallelism();
        CountDownLatch busy = new CountDownLatch(workers);
        CountDownLatch release = new CountDownLatch(1);
        for (int w = 0; w < workers; w++) {
            ForkJoinPool.commonPool().execute(() -> {
                busy.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        try {
            assertTrue(busy.await(30, TimeUnit.SECONDS), "the pool's workers did not all start");
            GemmCase problem = new GemmCase(true, false, 200, 150, 300, 1, 1, 1, 13);
            assertEquals(2, VectorMatMul.threadsFor(problem.m(), problem.n(), problem.k(), 2));
            double[] alone = assertTimeoutPreemptively(Duration.ofSeconds(60),
                    () -> problem.run(GemmCase.VECTOR, 2));
            assertArrayEquals(problem.run(GemmCase.VECTOR, 1), alone);
        } finally {
            release.countDown();
        }
    }

    /**
     * Runs {@link NarrowVectorMatMul} in a JVM limited to 256-bit vectors ({@code -XX:UseAVX=2}; ignored off x86):
     * there the kernel must choose the 4-row tile and still agree with the scalar reference.
     */
    @Example
    void theTileForNarrowVectorsAgreesWithTheScalarReference() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "--add-modules=jdk.incubator.vector",
                "-XX:+IgnoreUnrecognizedVMOptions", "-XX:UseAVX=2", "-cp", System.getProperty("java.class.path"),
                NarrowVectorMatMul.class.getName()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "probe did not finish");
        assertEquals(0, p.exitValue(), output);
        assertTrue(output.contains(NarrowVectorMatMul.OK), output);
        Matcher tile = Pattern.compile("lanes = (\\d+), MR = (\\d+)").matcher(output);
        assertTrue(tile.find(), output);
        assumeTrue(Integer.parseInt(tile.group(1)) <= 4, "vectors of more than 4 doubles even with -XX:UseAVX=2");
        assertEquals(4, Integer.parseInt(tile.group(2)), output);
    }

    @Example
    void theFacadeRunsThisKernelWhenTheModuleIsPresent() {
        assertTrue(MatMul.vectorized(), "the tests run with --add-modules jdk.incubator.vector");
        GemmCase problem = new GemmCase(false, true, 33, 17, 29, 1, 1, 1, 5);
        assertArrayEquals(problem.run(GemmCase.VECTOR, 1), problem.run(MatMul::gemm, 2));
    }

    @Example
    void betaZeroIgnoresNaNInC() {
        for (int size : new int[] {3, 40}) { // the unpacked and the packed path
            double[] a = filled(size * size, 0.5);
            double[] c = filled(size * size, Double.NaN);
            VectorMatMul.gemm(false, true, size, size, size, a, 0, size, a, 0, size, 0, c, 0, size, 1);
            assertArrayEquals(filled(size * size, 0.25 * size), c);
        }
    }

    @Example
    void emptyProductsScaleCAndEmptyOutputsAreNoOps() {
        double[] c = {1, 2, 3, 4};
        VectorMatMul.gemm(false, false, 2, 2, 0, new double[0], 0, 1, new double[0], 0, 2, 3, c, 0, 2, 1);
        assertArrayEquals(new double[] {3, 6, 9, 12}, c);
        VectorMatMul.gemm(false, false, 2, 2, 0, new double[0], 0, 1, new double[0], 0, 2, 0, c, 0, 2, 1);
        assertArrayEquals(new double[4], c);
        double[] untouched = {Double.NaN};
        VectorMatMul.gemm(false, false, 0, 1, 5, new double[0], 0, 5, new double[5], 0, 1, 0, untouched, 0, 1, 1);
        VectorMatMul.gemm(false, false, 1, 0, 5, new double[5], 0, 5, new double[0], 0, 1, 0, untouched, 0, 1, 1);
        assertTrue(Double.isNaN(untouched[0]));
    }

    @Provide
    Arbitrary<Integer> sizes() {
        // Mostly small and odd, past every tile edge and the unpacked/packed switch; sometimes past a block of A (MC)
        // or of k (KC).
        return Arbitraries.frequencyOf(
                Tuple.of(12, Arbitraries.integers().between(1, 70)),
                Tuple.of(1, Arbitraries.of(129, 257)));
    }

    @Provide
    Arbitrary<Double> betas() {
        return Arbitraries.of(0.0, 1.0, -0.75);
    }

    static void assertMatchesScalar(GemmCase problem, int threads) {
        double[] original = problem.c();
        double[] expected = problem.run(GemmCase.SCALAR, 1);
        double[] actual = problem.run(GemmCase.VECTOR, threads);
        double[] scale = problem.scale();
        for (int at = 0; at < actual.length; at++) {
            if (!problem.inWindow(at)) {
                if (Double.compare(actual[at], original[at]) != 0) {
                    fail("wrote outside the window at index " + at + " of " + problem);
                }
            } else if (!(Math.abs(actual[at] - expected[at]) <= 1e-12 * scale[at])) {
                fail("at index " + at + ": expected " + expected[at] + ", got " + actual[at] + " (scale "
                        + scale[at] + ") for " + problem);
            }
        }
    }

    private static double[] filled(int length, double value) {
        double[] x = new double[length];
        Arrays.fill(x, value);
        return x;
    }
}
