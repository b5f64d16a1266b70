package dev.descent.core.kernel;

/**
 * Argument checks shared by the kernels. Each check is O(1): it looks at array lengths, offsets and identities,
 * never at elements. The messages are built only on failure, in separate methods, so that the checks stay small
 * enough for the JIT to inline into every kernel.
 */
final class KernelArgs {

    private KernelArgs() {}

    /** Requires {@code n >= 0}. */
    static void length(String op, int n) {
        if (n < 0) {
            throw new IllegalArgumentException(op + ": expected n >= 0, got n = " + n);
        }
    }

    /** Requires {@code n >= 1}, for reductions such as max that have no value over zero elements. */
    static void nonEmpty(String op, int n) {
        if (n < 1) {
            throw new IllegalArgumentException(op + ": expected n >= 1 (the " + op
                    + " of no elements is undefined), got n = " + n);
        }
    }

    /**
     * Requires {@code array} non-null and {@code [off, off + n)} inside it; {@code n >= 0} must already hold, so that
     * {@code array.length - n} cannot overflow.
     */
    static void range(String op, String name, double[] array, int off, int n) {
        if (array == null) {
            throw new NullPointerException(op + ": expected an array for " + name + ", got null");
        }
        if (off < 0 || off > array.length - n) {
            throw outOfBounds(op, name, array.length, off, n);
        }
    }

    /**
     * Checks a binary map {@code out = a op b}: lengths, bounds, and that {@code out} overlaps neither input partially.
     */
    static void binary(String op, double[] a, int aOff, double[] b, int bOff, double[] out, int outOff, int n) {
        length(op, n);
        range(op, "a", a, aOff, n);
        range(op, "b", b, bOff, n);
        range(op, "out", out, outOff, n);
        noPartialOverlap(op, "out", out, outOff, "a", a, aOff, n);
        noPartialOverlap(op, "out", out, outOff, "b", b, bOff, n);
    }

    /**
     * Checks a unary map {@code out = f(x)} whose output parameter is called {@code outName}: lengths, bounds, and that
     * the output does not overlap {@code x} partially.
     */
    static void unary(String op, double[] x, int xOff, String outName, double[] out, int outOff, int n) {
        length(op, n);
        range(op, "x", x, xOff, n);
        range(op, outName, out, outOff, n);
        noPartialOverlap(op, outName, out, outOff, "x", x, xOff, n);
    }

    /**
     * Rejects an output range that overlaps an input range without coinciding with it. Exact aliasing (same array,
     * same offset) is the supported in-place form: every kernel reads element {@code i} before it writes element
     * {@code i}. A shifted overlap would make the result depend on the order in which elements are processed, which
     * differs between the scalar and the vector kernels.
     */
    static void noPartialOverlap(String op, String outName, double[] out, int outOff,
                                 String inName, double[] in, int inOff, int n) {
        if (out == in && outOff != inOff && outOff - inOff < n && inOff - outOff < n) {
            throw partialOverlap(op, outName, outOff, inName, inOff, n);
        }
    }

    private static IllegalArgumentException outOfBounds(String op, String name, int arrayLength, int off, int n) {
        return new IllegalArgumentException(op + ": expected " + name + "[" + name + "Off, " + name + "Off + n) within "
                + "[0, " + name + ".length), got " + name + "Off = " + off + ", n = " + n + ", " + name + ".length = "
                + arrayLength);
    }

    private static IllegalArgumentException partialOverlap(String op, String outName, int outOff,
                                                           String inName, int inOff, int n) {
        return new IllegalArgumentException(op + ": expected " + outName + " and " + inName
                + " to be disjoint or to coincide (same array, same offset), got overlapping ranges in one array with "
                + outName + "Off = " + outOff + ", " + inName + "Off = " + inOff + ", n = " + n);
    }
}
