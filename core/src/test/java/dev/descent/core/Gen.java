package dev.descent.core;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Generators for property tests: shapes (with size-1 dimensions), broadcast-compatible pairs, and values. */
final class Gen {
    private Gen() {}

    /** Shapes of rank 0 to 3 with dimensions 1 to 4. */
    static Arbitrary<int[]> shapes() {
        return Arbitraries.integers().between(1, 4).array(int[].class).ofMinSize(0).ofMaxSize(3);
    }

    /** Shapes of rank 1 to 3. */
    static Arbitrary<int[]> nonScalarShapes() {
        return Arbitraries.integers().between(1, 4).array(int[].class).ofMinSize(1).ofMaxSize(3);
    }

    /**
     * Two shapes that broadcast together: the second is the first with some leading dimensions dropped and some
     * others set to 1, and the pair is swapped half of the time.
     */
    static Arbitrary<int[][]> broadcastPairs() {
        return Combinators.combine(shapes(), Arbitraries.longs()).as((s, seed) -> {
            Rng r = new Rng(seed);
            int drop = s.length == 0 ? 0 : r.nextInt(s.length + 1);
            int[] b = new int[s.length - drop];
            for (int i = 0; i < b.length; i++) b[i] = r.nextDouble() < 0.3 ? 1 : s[i + drop];
            return r.nextDouble() < 0.5 ? new int[][] {s, b} : new int[][] {b, s};
        });
    }

    static Arbitrary<Long> seeds() {
        return Arbitraries.longs();
    }

    /** Uniform values in [lo, hi). */
    static Tensor uniform(long seed, double lo, double hi, int... shape) {
        return Tensor.uniform(new Rng(seed), lo, hi, shape);
    }

    /** Values at least {@code gap} away from 0: kinks at zero stay out of reach of the probes. */
    static Tensor awayFromZero(long seed, double gap, int... shape) {
        Tensor t = uniform(seed, -2, 2, shape);
        double[] d = t.data();
        for (int i = 0; i < d.length; i++) d[i] = d[i] >= 0 ? d[i] + gap : d[i] - gap;
        return t;
    }

    /** Distinct values spaced at least 0.1 apart in a random order (no ties for max). */
    static Tensor distinct(long seed, int... shape) {
        int n = Shapes.size(shape);
        int[] perm = new Rng(seed).permutation(n);
        double[] d = new double[n];
        for (int i = 0; i < n; i++) d[i] = 0.1 * perm[i] - 0.05 * n;
        return Tensor.of(d, shape);
    }
}
