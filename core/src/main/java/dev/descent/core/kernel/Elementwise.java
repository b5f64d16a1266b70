package dev.descent.core.kernel;

/**
 * Elementwise maps and reductions over {@code double[]}: the kernels behind the tensor ops and the optimizers.
 *
 * <p><b>Arguments.</b> Every array comes with an offset, and one length {@code n} applies to all of them: a kernel
 * touches {@code a[aOff .. aOff + n)}, {@code out[outOff .. outOff + n)} and so on, nothing else. The checks are O(1)
 * per call, whatever {@code n}: a negative {@code n}, a negative offset or a range that runs past the end of its array
 * throws {@link IllegalArgumentException} naming the kernel, what was expected and what was given, for example
 * {@code add: expected b[bOff, bOff + n) within [0, b.length), got bOff = 3, n = 8, b.length = 10}; a {@code null}
 * array throws {@link NullPointerException} naming the parameter. Nothing is written when a check fails.
 *
 * <p><b>In place.</b> An output may be the same array as an input at the same offset ({@code add(a, 0, b, 0, a, 0,
 * n)} computes {@code a += b}): each element is read before it is written. An output that overlaps an input at a
 * different offset is rejected with {@link IllegalArgumentException}, because its result would depend on the order in
 * which the kernel visits elements. Inputs may overlap each other freely.
 *
 * <p><b>Implementations.</b> Each kernel has a plain-loop reference in {@link ScalarElementwise} (the specification)
 * and a Vector API version in {@link VectorElementwise}. This class uses the vector version only where it measured
 * faster, and only when the {@code jdk.incubator.vector} module is in the boot layer ({@code --add-modules
 * jdk.incubator.vector}); without the module it never loads a class that mentions the Vector API, so the library
 * works, more slowly, without the flag. {@link #vectorized()} says which case applies. Measured on an AVX2 machine
 * (4 doubles per vector) with warmed-up JIT:
 * <ul>
 *   <li>The maps ({@code add}, {@code sub}, {@code mul}, {@code div}, {@code axpy}, {@code scale},
 *       {@code addScalar}) always run the scalar loops: C2's auto-vectoriser already turns them into SIMD code, and
 *       the Vector API versions measured within about 10 % of them (either way) at 4,096 to 200,000 elements, at the
 *       cost of a slower warm-up.</li>
 *   <li>The transcendental maps ({@code exp}, {@code tanh}, {@code sigmoid}) run the vector kernels, on the JDK's
 *       vector math library: the JIT cannot vectorise {@link Math#exp} or {@link Math#tanh} calls, and one call per
 *       element costs several times a vector lane's share. They agree with the references to 1 ulp (a few for
 *       {@code sigmoid}), not bit for bit.</li>
 *   <li>The reductions ({@code sum}, {@code dot}, {@code sumOfSquares}, {@code max}) run the vector kernels: the JIT
 *       may not reorder a floating-point sum, so the scalar loops stay one add (or max) at a time, and the vector
 *       kernels measured 2 to 14 times faster from 64 elements up (below 16 elements they add left to right, like
 *       the reference).</li>
 * </ul>
 *
 * <p><b>Results.</b> The arithmetic maps and {@link #max} give the same bits whichever implementation runs (NaN results are
 * returned as {@link Double#NaN} by {@code max}). The vectorised {@link #sum}, {@link #dot} and {@link #sumOfSquares}
 * add in a fixed interleaved order (16 partial sums combined pairwise, see {@link VectorElementwise}) rather than left
 * to right, so they can differ from the reference in the last bits: by at most about {@code n * 2^-52} times the sum
 * of the absolute values of the terms, which is below {@code 1e-12} of that sum for {@code n} up to about 4500 and in
 * practice far smaller. The order depends only on {@code n}, so each result is a deterministic function of the input
 * and the implementation in use: the same on every machine, thread and run.
 */
public final class Elementwise {

    /** Whether the Vector API kernels can be used ({@link Kernels}). */
    private static final boolean VECTOR = Kernels.VECTOR_API;

    private Elementwise() {}

    /**
     * Whether this class runs the Vector API kernels ({@code sum}, {@code dot}, {@code sumOfSquares}, {@code max})
     * in this JVM, i.e. whether the {@code jdk.incubator.vector} module is present.
     *
     * @return {@code true} if the reductions run on the Vector API
     */
    public static boolean vectorized() {
        return VECTOR;
    }

    /**
     * Elementwise sum: {@code out[outOff+i] = a[aOff+i] + b[bOff+i]} for {@code 0 <= i < n}.
     *
     * @throws IllegalArgumentException if {@code n < 0}, a range is out of bounds, or {@code out} partially overlaps
     *                                  {@code a} or {@code b}
     */
    public static void add(double[] a, int aOff, double[] b, int bOff, double[] out, int outOff, int n) {
        ScalarElementwise.add(a, aOff, b, bOff, out, outOff, n);
    }

    /**
     * Elementwise difference: {@code out[outOff+i] = a[aOff+i] - b[bOff+i]} for {@code 0 <= i < n}.
     *
     * @throws IllegalArgumentException if {@code n < 0}, a range is out of bounds, or {@code out} partially overlaps
     *                                  {@code a} or {@code b}
     */
    public static void sub(double[] a, int aOff, double[] b, int bOff, double[] out, int outOff, int n) {
        ScalarElementwise.sub(a, aOff, b, bOff, out, outOff, n);
    }

    /**
     * Elementwise (Hadamard) product: {@code out[outOff+i] = a[aOff+i] * b[bOff+i]} for {@code 0 <= i < n}.
     *
     * @throws IllegalArgumentException if {@code n < 0}, a range is out of bounds, or {@code out} partially overlaps
     *                                  {@code a} or {@code b}
     */
    public static void mul(double[] a, int aOff, double[] b, int bOff, double[] out, int outOff, int n) {
        ScalarElementwise.mul(a, aOff, b, bOff, out, outOff, n);
    }

    /**
     * Exponential {@code out[outOff+i] = e^x[xOff+i]} for {@code 0 <= i < n}, by {@link Transcendentals#exp}: one
     * fixed sequence of IEEE operations that the Vector API runs on whole vectors (many times faster than
     * {@link Math#exp}, which the JIT cannot vectorise) and the scalar kernel one element at a time, with the same
     * bits; within 1 ulp of {@link Math#exp}. So each element's result depends on its value only, never on its
     * position, on how a range is split between threads, on the vector width or on the JIT.
     *
     * @throws IllegalArgumentException if {@code n < 0}, a range is out of bounds, or {@code out} partially overlaps
     *                                  {@code x}
     */
    public static void exp(double[] x, int xOff, double[] out, int outOff, int n) {
        if (VECTOR) VectorElementwise.exp(x, xOff, out, outOff, n);
        else ScalarElementwise.exp(x, xOff, out, outOff, n);
    }

    /**
     * Hyperbolic tangent {@code out[outOff+i] = tanh(x[xOff+i])} for {@code 0 <= i < n}; as {@link #exp}, by
     * {@link Transcendentals#tanh}, within 2 ulp of {@link Math#tanh}.
     *
     * @throws IllegalArgumentException if {@code n < 0}, a range is out of bounds, or {@code out} partially overlaps
     *                                  {@code x}
     */
    public static void tanh(double[] x, int xOff, double[] out, int outOff, int n) {
        if (VECTOR) VectorElementwise.tanh(x, xOff, out, outOff, n);
        else ScalarElementwise.tanh(x, xOff, out, outOff, n);
    }

    /**
     * Logistic function {@code out[outOff+i] = 1 / (1 + e^-x[xOff+i])} for {@code 0 <= i < n}, never exponentiating
     * a large positive number (see {@link ScalarElementwise#sigmoid}); as {@link #exp}, by
     * {@link Transcendentals#sigmoid}, within 4 ulp of the formula on {@link Math#exp}.
     *
     * @throws IllegalArgumentException if {@code n < 0}, a range is out of bounds, or {@code out} partially overlaps
     *                                  {@code x}
     */
    public static void sigmoid(double[] x, int xOff, double[] out, int outOff, int n) {
        if (VECTOR) VectorElementwise.sigmoid(x, xOff, out, outOff, n);
        else ScalarElementwise.sigmoid(x, xOff, out, outOff, n);
    }

    /**
     * Elementwise quotient: {@code out[outOff+i] = a[aOff+i] / b[bOff+i]} for {@code 0 <= i < n}, with IEEE 754
     * semantics (division by zero gives a signed infinity or NaN, as in Java and PyTorch).
     *
     * @throws IllegalArgumentException if {@code n < 0}, a range is out of bounds, or {@code out} partially overlaps
     *                                  {@code a} or {@code b}
     */
    public static void div(double[] a, int aOff, double[] b, int bOff, double[] out, int outOff, int n) {
        ScalarElementwise.div(a, aOff, b, bOff, out, outOff, n);
    }

    /**
     * BLAS {@code axpy}: {@code y[yOff+i] += alpha * x[xOff+i]} for {@code 0 <= i < n}. The product is rounded before
     * the addition (no fused multiply-add), so the result is the same as the two-step Java expression. {@code x} may
     * be {@code y} at the same offset ({@code y += alpha * y}).
     *
     * @throws IllegalArgumentException if {@code n < 0}, a range is out of bounds, or {@code y} partially overlaps
     *                                  {@code x}
     */
    public static void axpy(double alpha, double[] x, int xOff, double[] y, int yOff, int n) {
        ScalarElementwise.axpy(alpha, x, xOff, y, yOff, n);
    }

    /**
     * Multiplication by a scalar: {@code out[outOff+i] = alpha * x[xOff+i]} for {@code 0 <= i < n}.
     *
     * @throws IllegalArgumentException if {@code n < 0}, a range is out of bounds, or {@code out} partially overlaps
     *                                  {@code x}
     */
    public static void scale(double alpha, double[] x, int xOff, double[] out, int outOff, int n) {
        ScalarElementwise.scale(alpha, x, xOff, out, outOff, n);
    }

    /**
     * The threshold mask of relu's backward pass (PyTorch's {@code threshold_backward}):
     * {@code out[outOff+i] = x[xOff+i] <= c ? 0 : g[gOff+i]} for {@code 0 <= i < n}, so a NaN in {@code x} passes
     * {@code g} through. Runs the vector kernel where the Vector API is present: the scalar loop's branch depends on
     * the sign of each input, which a relu's inputs make unpredictable. Same bits either way.
     *
     * @throws IllegalArgumentException if {@code n < 0}, a range is out of bounds, or {@code out} partially overlaps
     *                                  {@code x} or {@code g}
     */
    public static void threshold(double[] x, int xOff, double c, double[] g, int gOff, double[] out, int outOff, int n) {
        if (VECTOR) VectorElementwise.threshold(x, xOff, c, g, gOff, out, outOff, n);
        else ScalarElementwise.threshold(x, xOff, c, g, gOff, out, outOff, n);
    }

    /**
     * Addition of a scalar: {@code out[outOff+i] = x[xOff+i] + alpha} for {@code 0 <= i < n}.
     *
     * @throws IllegalArgumentException if {@code n < 0}, a range is out of bounds, or {@code out} partially overlaps
     *                                  {@code x}
     */
    public static void addScalar(double alpha, double[] x, int xOff, double[] out, int outOff, int n) {
        ScalarElementwise.addScalar(alpha, x, xOff, out, outOff, n);
    }

    /**
     * Sum {@code x[xOff] + ... + x[xOff+n-1]}; {@code 0.0} when {@code n == 0}. Vectorised when available, in the
     * deterministic interleaved order described on the class (within about {@code n * 2^-52 * sum|x|} of the
     * left-to-right sum; identical to it for {@code n < 16}).
     *
     * @return the sum of the {@code n} elements
     * @throws IllegalArgumentException if {@code n < 0} or the range is out of bounds
     */
    public static double sum(double[] x, int xOff, int n) {
        if (VECTOR) return VectorElementwise.sum(x, xOff, n);
        Kernels.scalarFallback();
        return ScalarElementwise.sum(x, xOff, n);
    }

    /**
     * Dot product {@code sum over i of x[xOff+i] * y[yOff+i]}; {@code 0.0} when {@code n == 0}. Each product is
     * rounded before it is added. Vectorised when available, in the deterministic interleaved order described on the
     * class (within about {@code n * 2^-52 * sum|x*y|} of the left-to-right sum; identical to it for {@code n < 16}).
     *
     * @return the dot product of the two ranges
     * @throws IllegalArgumentException if {@code n < 0} or a range is out of bounds
     */
    public static double dot(double[] x, int xOff, double[] y, int yOff, int n) {
        if (VECTOR) return VectorElementwise.dot(x, xOff, y, yOff, n);
        Kernels.scalarFallback();
        return ScalarElementwise.dot(x, xOff, y, yOff, n);
    }

    /**
     * Sum of squares {@code sum over i of x[xOff+i]^2} (the squared Euclidean norm, without the overflow protection of
     * {@link Math#hypot}); {@code 0.0} when {@code n == 0}. Vectorised when available, in the deterministic
     * interleaved order described on the class (within about {@code n * 2^-52 * sum x^2} of the left-to-right sum;
     * identical to it for {@code n < 16}).
     *
     * @return the sum of the squares of the {@code n} elements
     * @throws IllegalArgumentException if {@code n < 0} or the range is out of bounds
     */
    public static double sumOfSquares(double[] x, int xOff, int n) {
        if (VECTOR) return VectorElementwise.sumOfSquares(x, xOff, n);
        Kernels.scalarFallback();
        return ScalarElementwise.sumOfSquares(x, xOff, n);
    }

    /**
     * Largest element of {@code x[xOff .. xOff + n)}, NaN-propagating like {@code torch.max}: if any element is NaN
     * the result is {@link Double#NaN}. Otherwise the order is that of {@link Math#max}, so {@code +0.0} counts as
     * larger than {@code -0.0}. The result does not depend on the implementation.
     *
     * @return the largest element, or {@link Double#NaN}
     * @throws IllegalArgumentException if {@code n < 1} (like {@code torch.max}, there is no maximum of no elements)
     *                                  or the range is out of bounds
     */
    public static double max(double[] x, int xOff, int n) {
        if (VECTOR) return VectorElementwise.max(x, xOff, n);
        Kernels.scalarFallback();
        return ScalarElementwise.max(x, xOff, n);
    }

    /**
     * Largest magnitude {@code max |x[i]|} over {@code x[xOff .. xOff + n)}: 0 for no elements, infinity if any element
     * is infinite and NaN if any is NaN, so the result is finite exactly when every element is. The result does not
     * depend on the implementation.
     *
     * @throws IllegalArgumentException if the range is out of bounds
     */
    public static double maxAbs(double[] x, int xOff, int n) {
        return VECTOR ? VectorElementwise.maxAbs(x, xOff, n) : ScalarElementwise.maxAbs(x, xOff, n);
    }
}
