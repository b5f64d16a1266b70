package dev.descent.core.kernel;

import jdk.incubator.vector.DoubleVector;

/**
 * A program that {@link VectorMatMulTest} runs in a JVM limited to 256-bit vectors ({@code -XX:UseAVX=2} on an
 * AVX-512 machine): it prints the tile the vector kernel chose there and checks the kernel against the scalar
 * reference, and its thread-count independence, on products that reach every path and edge of the packed kernel.
 * Prints {@link #OK} on success; exits with an exception otherwise.
 */
final class NarrowVectorMatMul {

    static final String OK = "narrow-vector matmul agrees with the scalar reference";

    private NarrowVectorMatMul() {}

    public static void main(String[] args) {
        System.out.println("lanes = " + DoubleVector.SPECIES_PREFERRED.length() + ", MR = " + VectorMatMul.MR);
        int kc = VectorMatMul.KC;
        GemmCase[] cases = {
            new GemmCase(false, false, 37, 41, 43, 0, 1, 2, 1),
            new GemmCase(true, true, 53, 29, kc + 3, -0.75, 2, 1, 2),
            new GemmCase(false, true, VectorMatMul.MC + 11, 130, 2 * kc + 5, 1, 0, 3, 3),
            new GemmCase(true, false, 3, 5, 7, 1, 1, 0, 4),
        };
        for (GemmCase problem : cases) {
            double[] expected = problem.run(GemmCase.SCALAR, 1);
            double[] one = problem.run(GemmCase.VECTOR, 1);
            double[] scale = problem.scale();
            for (int at = 0; at < one.length; at++) {
                if (!(Math.abs(one[at] - expected[at]) <= 1e-12 * scale[at])) {
                    throw new AssertionError("at index " + at + ": expected " + expected[at] + ", got " + one[at]
                            + " for " + problem);
                }
            }
            for (int threads = 2; threads <= 3; threads++) {
                if (!java.util.Arrays.equals(one, problem.run(GemmCase.VECTOR, threads))) {
                    throw new AssertionError(threads + " threads changed the result of " + problem);
                }
            }
        }
        System.out.println(OK);
    }
}
