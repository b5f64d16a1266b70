package dev.descent.core.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

/**
 * The vector kernels against the scalar reference, and the contract of the {@link Elementwise} facade: bit-identical
 * maps, reductions within {@code 1e-12} of the sum of absolute terms (and bit-identical to their documented order),
 * NaN-propagating max, in-place use, and argument errors that say what was expected and what was given.
 */
class ElementwiseTest {

    // ---- the kernels under test, per implementation --------------------------------------------------------------

    enum Impl { SCALAR, VECTOR, FACADE }

    @FunctionalInterface
    interface Binary {
        void apply(double[] a, int aOff, double[] b, int bOff, double[] out, int outOff, int n);
    }

    @FunctionalInterface
    interface WithScalar {
        void apply(double alpha, double[] x, int xOff, double[] out, int outOff, int n);
    }

    @FunctionalInterface
    interface Reduction {
        double apply(double[] x, int xOff, double[] y, int yOff, int n);
    }

    enum BinaryKernel {
        ADD(ScalarElementwise::add, VectorElementwise::add, Elementwise::add),
        SUB(ScalarElementwise::sub, VectorElementwise::sub, Elementwise::sub),
        MUL(ScalarElementwise::mul, VectorElementwise::mul, Elementwise::mul),
        DIV(ScalarElementwise::div, VectorElementwise::div, Elementwise::div),
        /** relu's backward mask at 0: a is the input, b the gradient. */
        THRESHOLD((a, ao, b, bo, o, oo, n) -> ScalarElementwise.threshold(a, ao, 0.0, b, bo, o, oo, n),
                (a, ao, b, bo, o, oo, n) -> VectorElementwise.threshold(a, ao, 0.0, b, bo, o, oo, n),
                (a, ao, b, bo, o, oo, n) -> Elementwise.threshold(a, ao, 0.0, b, bo, o, oo, n));

        final Binary scalar, vector, facade;

        BinaryKernel(Binary scalar, Binary vector, Binary facade) {
            this.scalar = scalar;
            this.vector = vector;
            this.facade = facade;
        }

        Binary of(Impl impl) {
            return switch (impl) {
                case SCALAR -> scalar;
                case VECTOR -> vector;
                case FACADE -> facade;
            };
        }
    }

    /** Kernels of the form {@code out = f(alpha, x, out)}; for axpy, {@code out} is {@code y}. */
    enum ScalarKernel {
        AXPY(ScalarElementwise::axpy, VectorElementwise::axpy, Elementwise::axpy),
        SCALE(ScalarElementwise::scale, VectorElementwise::scale, Elementwise::scale),
        ADD_SCALAR(ScalarElementwise::addScalar, VectorElementwise::addScalar, Elementwise::addScalar);

        final WithScalar scalar, vector, facade;

        ScalarKernel(WithScalar scalar, WithScalar vector, WithScalar facade) {
            this.scalar = scalar;
            this.vector = vector;
            this.facade = facade;
        }

        WithScalar of(Impl impl) {
            return switch (impl) {
                case SCALAR -> scalar;
                case VECTOR -> vector;
                case FACADE -> facade;
            };
        }
    }

    /** Reductions; sum and sumOfSquares ignore {@code y}. {@code interleaved} is the documented vector order. */
    enum SumKernel {
        SUM((x, xo, y, yo, n) -> ScalarElementwise.sum(x, xo, n), (x, xo, y, yo, n) -> VectorElementwise.sum(x, xo, n),
                (x, xo, y, yo, n) -> Elementwise.sum(x, xo, n), (x, xo, y, yo, n) -> InterleavedSums.sum(x, xo, n)),
        DOT(ScalarElementwise::dot, VectorElementwise::dot, Elementwise::dot, InterleavedSums::dot),
        SUM_OF_SQUARES((x, xo, y, yo, n) -> ScalarElementwise.sumOfSquares(x, xo, n),
                (x, xo, y, yo, n) -> VectorElementwise.sumOfSquares(x, xo, n),
                (x, xo, y, yo, n) -> Elementwise.sumOfSquares(x, xo, n),
                (x, xo, y, yo, n) -> InterleavedSums.sumOfSquares(x, xo, n));

        final Reduction scalar, vector, facade, interleaved;

        SumKernel(Reduction scalar, Reduction vector, Reduction facade, Reduction interleaved) {
            this.scalar = scalar;
            this.vector = vector;
            this.facade = facade;
            this.interleaved = interleaved;
        }

        /** The sum of the absolute values of the terms, the scale of the rounding error of any summation order. */
        double magnitude(double[] x, int xOff, double[] y, int yOff, int n) {
            double m = 0;
            for (int i = 0; i < n; i++) {
                double term = switch (this) {
                    case SUM -> x[xOff + i];
                    case DOT -> x[xOff + i] * y[yOff + i];
                    case SUM_OF_SQUARES -> x[xOff + i] * x[xOff + i];
                };
                m += Math.abs(term);
            }
            return m;
        }
    }

    // ---- generated inputs ------------------------------------------------------------------------------------------

    /** An array with the range under test starting at {@code off}, and a few unrelated elements around it. */
    record Operand(double[] data, int off) {
        Operand copy() {
            return new Operand(data.clone(), off);
        }

        @Override
        public String toString() {
            return "Operand[off=" + off + ", data=" + Arrays.toString(data) + "]";
        }
    }

    record Case(int n, Operand a, Operand b, Operand out) {}

    /** Half the cases are short, where the scalar tails and the small-length paths live. */
    private static Arbitrary<Integer> lengths() {
        return Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.integers().between(0, 40)),
                Tuple.of(1, Arbitraries.integers().between(0, 300)));
    }

    /** Finite values over six orders of magnitude, both signs, full 53-bit mantissas. */
    private static Arbitrary<Double> finite() {
        return Arbitraries.randomValue(r -> (2 * r.nextDouble() - 1) * Math.pow(10, r.nextInt(7) - 3));
    }

    /** Finite values mixed with the IEEE special cases. */
    private static Arbitrary<Double> anyDouble() {
        return Arbitraries.frequencyOf(
                Tuple.of(9, finite()),
                Tuple.of(1, Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0, -0.0,
                        Double.MIN_VALUE, 1e-310, Double.MAX_VALUE, -Double.MAX_VALUE)));
    }

    private static Arbitrary<Operand> operand(int n, Arbitrary<Double> values) {
        return Combinators.combine(Arbitraries.integers().between(0, 7), Arbitraries.integers().between(0, 3))
                .flatAs((off, slack) -> values.array(double[].class).ofSize(off + n + slack)
                        .map(data -> new Operand(data, off)));
    }

    private static Arbitrary<Case> cases(Arbitrary<Double> values) {
        return lengths().flatMap(n -> Combinators.combine(operand(n, values), operand(n, values), operand(n, values))
                .as((a, b, out) -> new Case(n, a, b, out)));
    }

    @Provide
    Arbitrary<Case> anyValues() {
        return cases(anyDouble());
    }

    @Provide
    Arbitrary<Case> finiteValues() {
        return cases(finite());
    }

    @Provide
    Arbitrary<Double> alphas() {
        return anyDouble();
    }

    private static void assertSameBits(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            if (Double.doubleToLongBits(expected[i]) != Double.doubleToLongBits(actual[i])) {
                throw new AssertionError(what + ": element " + i + " differs: expected " + expected[i] + ", got "
                        + actual[i]);
            }
        }
    }

    // ---- vector against scalar -------------------------------------------------------------------------------------

    @Property(seed = "4242", tries = 200)
    void binaryMapsAgreeBitForBitWithTheReference(@ForAll BinaryKernel kernel, @ForAll("anyValues") Case c) {
        Operand expected = c.out().copy();
        kernel.scalar.apply(c.a().data(), c.a().off(), c.b().data(), c.b().off(), expected.data(), expected.off(),
                c.n());
        for (Impl impl : new Impl[] {Impl.VECTOR, Impl.FACADE}) {
            Operand actual = c.out().copy();
            kernel.of(impl).apply(c.a().data(), c.a().off(), c.b().data(), c.b().off(), actual.data(), actual.off(),
                    c.n());
            // Whole arrays: elements outside the range must be untouched too.
            assertSameBits(expected.data(), actual.data(), kernel + " " + impl);
        }
    }

    @Property(seed = "4343", tries = 150)
    void scalarMapsAgreeBitForBitWithTheReference(@ForAll ScalarKernel kernel, @ForAll("alphas") double alpha,
                                                  @ForAll("anyValues") Case c) {
        Operand expected = c.out().copy();
        kernel.scalar.apply(alpha, c.a().data(), c.a().off(), expected.data(), expected.off(), c.n());
        for (Impl impl : new Impl[] {Impl.VECTOR, Impl.FACADE}) {
            Operand actual = c.out().copy();
            kernel.of(impl).apply(alpha, c.a().data(), c.a().off(), actual.data(), actual.off(), c.n());
            assertSameBits(expected.data(), actual.data(), kernel + " " + impl);
        }
    }

    @FunctionalInterface
    interface Unary {
        void apply(double[] x, int xOff, double[] out, int outOff, int n);
    }

    /** The Math-based formula each transcendental kernel approximates. */
    @FunctionalInterface
    interface Reference {
        double at(double x);
    }

    /** The logistic function on {@link Math#exp}, in the same two branches. */
    private static double sigmoidOnMathExp(double x) {
        double e = Math.exp(-Math.abs(x));
        return x >= 0 ? 1 / (1 + e) : e / (1 + e);
    }

    /** The transcendental maps, their Math reference, and the largest difference from it that each may show, in ulps. */
    enum TranscendentalKernel {
        EXP(ScalarElementwise::exp, VectorElementwise::exp, Elementwise::exp, Math::exp, 1),
        TANH(ScalarElementwise::tanh, VectorElementwise::tanh, Elementwise::tanh, Math::tanh, 2),
        SIGMOID(ScalarElementwise::sigmoid, VectorElementwise::sigmoid, Elementwise::sigmoid, ElementwiseTest::sigmoidOnMathExp, 4);

        final Unary scalar, vector, facade;
        final Reference reference;
        final int ulps;

        TranscendentalKernel(Unary scalar, Unary vector, Unary facade, Reference reference, int ulps) {
            this.scalar = scalar;
            this.vector = vector;
            this.facade = facade;
            this.reference = reference;
            this.ulps = ulps;
        }

        /** Throws unless {@code got} is the reference at {@code x} within {@link #ulps} (specials and zeros exactly). */
        void check(double x, double got, String where) {
            double e = reference.at(x);
            if (Double.isNaN(e) || Double.isInfinite(e) || e == 0) {
                if (Double.doubleToLongBits(e) != Double.doubleToLongBits(got) && !(Double.isNaN(e) && Double.isNaN(got))) {
                    throw new AssertionError(this + " at " + x + " (" + where + ") is " + got + ", expected " + e);
                }
            } else if (!(Math.abs(got - e) <= ulps * Math.ulp(e))) {
                throw new AssertionError(this + " at " + x + " (" + where + ") is " + got + ", expected " + e + " within " + ulps + " ulp");
            }
        }
    }

    @Property(seed = "4344", tries = 200)
    void transcendentalMapsGiveTheScalarKernelsBitsWhateverTheSplitAndAreCloseToMath(@ForAll TranscendentalKernel kernel,
                                                                                      @ForAll("anyValues") Case c) {
        Operand expected = c.out().copy();
        kernel.scalar.apply(c.a().data(), c.a().off(), expected.data(), expected.off(), c.n());
        for (int i = 0; i < c.n(); i++) kernel.check(c.a().data()[c.a().off() + i], expected.data()[expected.off() + i], "element " + i);
        for (Unary impl : new Unary[] {kernel.vector, kernel.facade}) {
            Operand actual = c.out().copy();
            impl.apply(c.a().data(), c.a().off(), actual.data(), actual.off(), c.n());
            // the same operations in every lane: the scalar kernel's bits, and nothing outside the range touched
            assertSameBits(expected.data(), actual.data(), kernel + " against the scalar kernel");
            // an element's result depends on its value only: computing the range in two pieces changes no bit
            if (c.n() > 1) {
                Operand split = c.out().copy();
                int cut = c.n() / 3 + 1;
                impl.apply(c.a().data(), c.a().off(), split.data(), split.off(), cut);
                impl.apply(c.a().data(), c.a().off() + cut, split.data(), split.off() + cut, c.n() - cut);
                assertSameBits(actual.data(), split.data(), kernel + " split at " + cut);
            }
            // in place (out is x, as the recurrent cells call them): the same values
            double[] inPlace = c.a().data().clone();
            impl.apply(inPlace, c.a().off(), inPlace, c.a().off(), c.n());
            assertSameBits(java.util.Arrays.copyOfRange(expected.data(), expected.off(), expected.off() + c.n()),
                    java.util.Arrays.copyOfRange(inPlace, c.a().off(), c.a().off() + c.n()), kernel + " in place");
        }
    }

    /**
     * A dense sweep where the approximations are hardest: the whole finite range of exp including both ends (overflow
     * at 709.78, the subnormal results below −708.4), and tanh and sigmoid around their branch points.
     */
    @Example
    void transcendentalKernelsStayWithinTheirUlpsOfMathOverDenseSweeps() {
        java.util.Random rnd = new java.util.Random(20261202);
        double[][] ranges = {{-746, 710}, {-1, 1}, {-745.2, -700}, {700, 709.79}, {-25, 25}, {-2, 2}, {-1e-6, 1e-6}};
        int n = 1 << 15;
        double[] x = new double[n], out = new double[n];
        for (TranscendentalKernel kernel : TranscendentalKernel.values()) {
            for (double[] range : ranges) {
                for (int i = 0; i < n; i++) x[i] = range[0] + (range[1] - range[0]) * rnd.nextDouble();
                kernel.vector.apply(x, 0, out, 0, n);
                for (int i = 0; i < n; i++) kernel.check(x[i], out[i], "sweep " + java.util.Arrays.toString(range));
            }
            double[] edges = {709.782712893384, 709.7827128933841, -745.1332191019411, -745.1332191019412, -708.4, 1, -1, 0.5, -0.5,
                    19.06, 22, Double.MIN_VALUE, -Double.MIN_VALUE, 1e-300, Double.MAX_VALUE, -Double.MAX_VALUE};
            kernel.vector.apply(edges, 0, out, 0, edges.length);
            for (int i = 0; i < edges.length; i++) kernel.check(edges[i], out[i], "edge");
        }
    }

    @Property(seed = "4444", tries = 250)
    void reductionsAgreeWithTheReferenceWithin1e12OfTheSumOfAbsoluteTerms(@ForAll SumKernel kernel,
                                                                         @ForAll("finiteValues") Case c) {
        double[] x = c.a().data(), y = c.b().data();
        int xOff = c.a().off(), yOff = c.b().off(), n = c.n();
        double reference = kernel.scalar.apply(x, xOff, y, yOff, n);
        double vector = kernel.vector.apply(x, xOff, y, yOff, n);
        double bound = 1e-12 * kernel.magnitude(x, xOff, y, yOff, n);
        assertTrue(Math.abs(vector - reference) <= bound,
                () -> kernel + " n=" + n + ": vector " + vector + ", reference " + reference + ", bound " + bound);
        if (n < InterleavedSums.WIDTH) {
            assertEquals(reference, vector, 0.0, "below one block the order is left to right");
        }
    }

    @Property(seed = "4545", tries = 150)
    void vectorReductionsFollowTheDocumentedOrderBitForBit(@ForAll SumKernel kernel, @ForAll("anyValues") Case c) {
        double[] x = c.a().data(), y = c.b().data();
        int xOff = c.a().off(), yOff = c.b().off(), n = c.n();
        double interleaved = kernel.interleaved.apply(x, xOff, y, yOff, n);
        double vector = kernel.vector.apply(x, xOff, y, yOff, n);
        assertEquals(Double.doubleToLongBits(interleaved), Double.doubleToLongBits(vector),
                () -> kernel + " n=" + n + ": interleaved order " + interleaved + ", vector " + vector);
        double facade = kernel.facade.apply(x, xOff, y, yOff, n);
        double chosen = Elementwise.vectorized() ? vector : kernel.scalar.apply(x, xOff, y, yOff, n);
        assertEquals(Double.doubleToLongBits(chosen), Double.doubleToLongBits(facade), kernel + " facade");
    }

    @Property(seed = "4646", tries = 150)
    void maxAgreesBitForBitWithTheReference(@ForAll("anyValues") Case c) {
        double[] x = c.a().data();
        int xOff = c.a().off(), n = c.n();
        Assume.that(n > 0);
        long expected = Double.doubleToRawLongBits(ScalarElementwise.max(x, xOff, n));
        assertEquals(expected, Double.doubleToRawLongBits(VectorElementwise.max(x, xOff, n)), "vector");
        assertEquals(expected, Double.doubleToRawLongBits(Elementwise.max(x, xOff, n)), "facade");
    }

    @Property(seed = "4647", tries = 150)
    void maxAbsAgreesBitForBitWithTheReference(@ForAll("anyValues") Case c) {
        double[] x = c.a().data();
        int xOff = c.a().off(), n = c.n();
        double expected = ScalarElementwise.maxAbs(x, xOff, n);
        // the definition: finite exactly when every element is
        boolean allFinite = true;
        for (int i = 0; i < n; i++) allFinite &= Double.isFinite(x[xOff + i]);
        assertEquals(allFinite, Double.isFinite(expected), "finite iff every element is");
        assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(VectorElementwise.maxAbs(x, xOff, n)), "vector");
        assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(Elementwise.maxAbs(x, xOff, n)), "facade");
    }

    /**
     * Many small calls with fresh data, so that C2 compiles the kernels while the comparison runs: the properties
     * above may run before the JIT has replaced the Vector API's Java fallbacks with intrinsics. With tiered
     * compilation the C2 versions of the kernels arrive after roughly 10,000 to 20,000 calls, so the later
     * iterations compare compiled code.
     */
    @Example
    void vectorKernelsStillAgreeAfterJitCompilation() {
        SplittableRandom rnd = new SplittableRandom(7);
        double[] a = new double[56], b = new double[56], expected = new double[56], actual = new double[56];
        for (int iter = 0; iter < 25_000; iter++) {
            int n = rnd.nextInt(49);
            int off = rnd.nextInt(8);
            for (int i = 0; i < a.length; i++) {
                a[i] = rnd.nextDouble(-1, 1);
                b[i] = rnd.nextDouble(-1, 1);
            }
            for (BinaryKernel k : BinaryKernel.values()) {
                k.scalar.apply(a, off, b, 0, expected, off, n);
                k.vector.apply(a, off, b, 0, actual, off, n);
                assertSameBits(expected, actual, k + " iteration " + iter);
            }
            for (ScalarKernel k : ScalarKernel.values()) {
                System.arraycopy(b, 0, expected, 0, b.length);
                System.arraycopy(b, 0, actual, 0, b.length);
                k.scalar.apply(0.375, a, off, expected, 0, n);
                k.vector.apply(0.375, a, off, actual, 0, n);
                assertSameBits(expected, actual, k + " iteration " + iter);
            }
            for (SumKernel k : SumKernel.values()) {
                assertEquals(k.interleaved.apply(a, off, b, 1, n), k.vector.apply(a, off, b, 1, n), 0.0,
                        k + " iteration " + iter);
            }
            if (n > 0) {
                assertEquals(ScalarElementwise.max(a, off, n), VectorElementwise.max(a, off, n), 0.0,
                        "max iteration " + iter);
                assertEquals(ScalarElementwise.max(b, 0, n), VectorElementwise.max(b, 0, n), 0.0,
                        "max iteration " + iter);
            }
        }
    }

    // ---- max: NaN and signed zeros ---------------------------------------------------------------------------------

    @Property(seed = "4747", tries = 100)
    void maxIsNaNWhenAnyElementIsNaN(@ForAll("finiteValues") Case c, @ForAll @IntRange(max = 299) int where) {
        double[] x = c.a().data().clone();
        int xOff = c.a().off(), n = c.n();
        Assume.that(n > 0);
        x[xOff + where % n] = Double.NaN;
        for (Impl impl : Impl.values()) {
            double m = switch (impl) {
                case SCALAR -> ScalarElementwise.max(x, xOff, n);
                case VECTOR -> VectorElementwise.max(x, xOff, n);
                case FACADE -> Elementwise.max(x, xOff, n);
            };
            assertTrue(Double.isNaN(m), impl + ": NaN at " + (where % n) + " of " + n + " gave " + m);
        }
    }

    @Example
    void maxPropagatesNaNFromEveryPositionAndBeatsInfinity() {
        for (int n : new int[] {1, 3, 16, 37}) {
            for (int at = 0; at < n; at++) {
                double[] x = new double[n];
                Arrays.fill(x, Double.POSITIVE_INFINITY);
                x[at] = Double.NaN;
                assertEquals(Double.doubleToRawLongBits(Double.NaN),
                        Double.doubleToRawLongBits(VectorElementwise.max(x, 0, n)), "n=" + n + " at=" + at);
                assertEquals(Double.doubleToRawLongBits(Double.NaN),
                        Double.doubleToRawLongBits(ScalarElementwise.max(x, 0, n)), "n=" + n + " at=" + at);
            }
        }
    }

    @Example
    void maxCountsPositiveZeroAsLargerThanNegativeZero() {
        double[] zeros = new double[21];
        Arrays.fill(zeros, -0.0);
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(Elementwise.max(zeros, 0, 21)));
        zeros[17] = 0.0;
        assertEquals(Double.doubleToRawLongBits(0.0), Double.doubleToRawLongBits(Elementwise.max(zeros, 0, 21)));
        assertEquals(Double.NEGATIVE_INFINITY,
                Elementwise.max(new double[] {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY}, 0, 2));
    }

    // ---- in place --------------------------------------------------------------------------------------------------

    @Property(seed = "4848", tries = 150)
    void binaryMapsMayWriteOverEitherInput(@ForAll BinaryKernel kernel, @ForAll Impl impl,
                                           @ForAll("anyValues") Case c) {
        double[] a = c.a().data(), b = c.b().data();
        int aOff = c.a().off(), bOff = c.b().off(), n = c.n();
        double[] expected = new double[n];
        kernel.scalar.apply(a, aOff, b, bOff, expected, 0, n);

        double[] intoA = a.clone();
        kernel.of(impl).apply(intoA, aOff, b, bOff, intoA, aOff, n);
        assertSameBits(expected, Arrays.copyOfRange(intoA, aOff, aOff + n), kernel + " " + impl + " out = a");

        double[] intoB = b.clone();
        kernel.of(impl).apply(a, aOff, intoB, bOff, intoB, bOff, n);
        assertSameBits(expected, Arrays.copyOfRange(intoB, bOff, bOff + n), kernel + " " + impl + " out = b");

        double[] self = new double[n];
        kernel.scalar.apply(a, aOff, a, aOff, self, 0, n);
        double[] all = a.clone();
        kernel.of(impl).apply(all, aOff, all, aOff, all, aOff, n);
        assertSameBits(self, Arrays.copyOfRange(all, aOff, aOff + n), kernel + " " + impl + " out = a = b");
    }

    @Property(seed = "4949", tries = 150)
    void scalarMapsMayWriteOverTheirInput(@ForAll ScalarKernel kernel, @ForAll Impl impl,
                                          @ForAll("alphas") double alpha, @ForAll("anyValues") Case c) {
        double[] x = c.a().data();
        int xOff = c.a().off(), n = c.n();
        double[] expected = Arrays.copyOfRange(x, xOff, xOff + n); // axpy reads its output: start from x itself
        kernel.scalar.apply(alpha, x, xOff, expected, 0, n);
        double[] inPlace = x.clone();
        kernel.of(impl).apply(alpha, inPlace, xOff, inPlace, xOff, n);
        assertSameBits(expected, Arrays.copyOfRange(inPlace, xOff, xOff + n), kernel + " " + impl);
    }

    @Example
    void disjointRangesOfOneArrayAreNotAnOverlap() {
        double[] v = {1, 2, 3, 10, 20, 30, 0, 0, 0};
        for (Impl impl : Impl.values()) {
            BinaryKernel.ADD.of(impl).apply(v, 0, v, 3, v, 6, 3);
            assertArrayEquals(new double[] {1, 2, 3, 10, 20, 30, 11, 22, 33}, v, impl.name());
            Arrays.fill(v, 6, 9, 0.0);
        }
    }

    // ---- bad arguments ---------------------------------------------------------------------------------------------

    @Example
    void negativeLengthIsRejectedWithTheLength() {
        double[] v = new double[4];
        for (Impl impl : Impl.values()) {
            assertMessage("add: expected n >= 0, got n = -1",
                    () -> BinaryKernel.ADD.of(impl).apply(v, 0, v, 0, v, 0, -1));
            assertMessage("scale: expected n >= 0, got n = -3",
                    () -> ScalarKernel.SCALE.of(impl).apply(2.0, v, 0, v, 0, -3));
            assertMessage("sum: expected n >= 0, got n = -2",
                    () -> SumKernel.SUM.scalar.apply(v, 0, v, 0, -2));
        }
        assertMessage("sum: expected n >= 0, got n = -2", () -> VectorElementwise.sum(v, 0, -2));
        assertMessage("sumOfSquares: expected n >= 0, got n = -2", () -> Elementwise.sumOfSquares(v, 0, -2));
        assertMessage("dot: expected n >= 0, got n = -5", () -> Elementwise.dot(v, 0, v, 0, -5));
    }

    @Example
    void rangePastTheEndNamesTheArrayItsOffsetAndItsLength() {
        double[] a = new double[12], b = new double[10], out = new double[12];
        for (Impl impl : Impl.values()) {
            assertMessage("sub: expected b[bOff, bOff + n) within [0, b.length), got bOff = 3, n = 8, b.length = 10",
                    () -> BinaryKernel.SUB.of(impl).apply(a, 0, b, 3, out, 0, 8));
            assertMessage("mul: expected out[outOff, outOff + n) within [0, out.length), got outOff = 5, n = 8, "
                    + "out.length = 12", () -> BinaryKernel.MUL.of(impl).apply(a, 0, a, 0, out, 5, 8));
            assertMessage("axpy: expected y[yOff, yOff + n) within [0, y.length), got yOff = 4, n = 7, y.length = 10",
                    () -> ScalarKernel.AXPY.of(impl).apply(1.0, a, 0, b, 4, 7));
        }
        assertMessage("dot: expected y[yOff, yOff + n) within [0, y.length), got yOff = 1, n = 10, y.length = 10",
                () -> Elementwise.dot(a, 0, b, 1, 10));
        assertMessage("max: expected x[xOff, xOff + n) within [0, x.length), got xOff = 11, n = 2, x.length = 12",
                () -> VectorElementwise.max(a, 11, 2));
    }

    @Example
    void negativeOffsetAndOverflowingRangeAreRejected() {
        double[] x = new double[4];
        assertMessage("sum: expected x[xOff, xOff + n) within [0, x.length), got xOff = -1, n = 2, x.length = 4",
                () -> Elementwise.sum(x, -1, 2));
        // xOff + n overflows int: the check must not wrap around.
        assertMessage("addScalar: expected x[xOff, xOff + n) within [0, x.length), got xOff = 2, n = 2147483647, "
                + "x.length = 4", () -> Elementwise.addScalar(1.0, x, 2, x, 2, Integer.MAX_VALUE));
    }

    @Example
    void nullArrayIsNamed() {
        double[] x = new double[4];
        NullPointerException e = assertThrows(NullPointerException.class, () -> Elementwise.dot(x, 0, null, 0, 4));
        assertEquals("dot: expected an array for y, got null", e.getMessage());
        e = assertThrows(NullPointerException.class, () -> Elementwise.add(x, 0, x, 0, null, 0, 4));
        assertEquals("add: expected an array for out, got null", e.getMessage());
    }

    @Example
    void maxOfNoElementsIsRejectedLikeTorch() {
        double[] x = new double[4];
        for (Impl impl : Impl.values()) {
            assertMessage("max: expected n >= 1 (the max of no elements is undefined), got n = 0", () -> {
                switch (impl) {
                    case SCALAR -> ScalarElementwise.max(x, 0, 0);
                    case VECTOR -> VectorElementwise.max(x, 0, 0);
                    case FACADE -> Elementwise.max(x, 0, 0);
                }
            });
        }
    }

    @Example
    void shiftedOverlapOfOutputAndInputIsRejectedBeforeAnythingIsWritten() {
        for (Impl impl : Impl.values()) {
            double[] v = {1, 2, 3, 4, 5, 6};
            double[] w = {1, 1, 1, 1, 1, 1};
            assertMessage("add: expected out and a to be disjoint or to coincide (same array, same offset), got "
                            + "overlapping ranges in one array with outOff = 1, aOff = 0, n = 4",
                    () -> BinaryKernel.ADD.of(impl).apply(v, 0, w, 0, v, 1, 4));
            assertMessage("div: expected out and b to be disjoint or to coincide (same array, same offset), got "
                            + "overlapping ranges in one array with outOff = 0, bOff = 2, n = 3",
                    () -> BinaryKernel.DIV.of(impl).apply(w, 0, v, 2, v, 0, 3));
            assertMessage("axpy: expected y and x to be disjoint or to coincide (same array, same offset), got "
                            + "overlapping ranges in one array with yOff = 2, xOff = 0, n = 3",
                    () -> ScalarKernel.AXPY.of(impl).apply(2.0, v, 0, v, 2, 3));
            assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, v, impl + " wrote before failing");
        }
    }

    private static void assertMessage(String expected, Runnable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
        assertEquals(expected, e.getMessage());
    }

    // ---- without the Vector API ------------------------------------------------------------------------------------

    /**
     * Runs {@link WithoutVectorModule} in a JVM started without {@code --add-modules jdk.incubator.vector}: the facade
     * must compute the same results and must not load any Vector API class (or {@link VectorElementwise}).
     */
    @Example
    void facadeWorksWithoutTheVectorModuleAndNeverLoadsIt() throws IOException, InterruptedException {
        String classPath = location(Elementwise.class) + File.pathSeparator + location(WithoutVectorModule.class);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-Xshare:auto", "-XX:TieredStopAtLevel=1",
                "-Xlog:class+load=info", "-cp", classPath, WithoutVectorModule.class.getName())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "probe did not finish");
        assertEquals(0, p.exitValue(), output);
        assertTrue(output.contains(WithoutVectorModule.OK), output);
        assertTrue(output.lines().filter(l -> l.contains("[class,load]"))
                        .noneMatch(l -> l.contains("jdk.incubator.vector") || l.contains("VectorElementwise")),
                "a Vector API class was loaded:\n" + output);
    }

    private static String location(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
