package dev.descent.core;

import java.util.Arrays;

/** Shape arithmetic shared by all ops: sizes, strides, broadcasting and axis checks. */
final class Shapes {
    private Shapes() {}

    static final int[] SCALAR = new int[0];

    /**
     * The number of elements. The product of the non-zero dimensions must fit in an {@code int} (even when another
     * dimension is 0), so that no element count, offset or stride of any view of the shape can overflow.
     */
    static int size(int[] shape) {
        long n = 1;
        boolean empty = false;
        for (int d : shape) {
            if (d == 0) {
                empty = true;
                continue;
            }
            n *= d; // both factors are at most 2^31 - 1, so the product cannot overflow a long before the check below
            if (n > Integer.MAX_VALUE || n < 0) {
                throw new IllegalArgumentException("shape " + str(shape) + " has more than " + Integer.MAX_VALUE
                        + " elements (the product of its non-zero dimensions overflows); at most " + Integer.MAX_VALUE + " are supported");
            }
        }
        return empty ? 0 : (int) n;
    }

    static int[] checked(String op, int[] shape) {
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException(op + ": dimensions must be non-negative, got shape " + str(shape));
        }
        return shape.clone();
    }

    /** Row-major strides of a contiguous tensor. */
    static int[] strides(int[] shape) {
        int[] s = new int[shape.length];
        int acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= shape[i];
        }
        return s;
    }

    static String str(int[] shape) {
        return Arrays.toString(shape);
    }

    /** NumPy broadcasting: aligns shapes on the right; each pair of dimensions must be equal or one of them 1. */
    static int[] broadcast(String op, int[] a, int[] b) {
        if (Arrays.equals(a, b)) return a;
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            int db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException(op + ": shapes " + str(a) + " and " + str(b)
                        + " cannot be broadcast together (dimension " + i + " of the broadcast shape: " + da + " vs " + db + ")");
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /**
     * Strides to read a contiguous tensor of {@code shape} as if it had {@code target} shape: dimensions that are
     * broadcast (missing or of size 1 against a larger target) get stride 0.
     */
    static int[] broadcastStrides(int[] shape, int[] target) {
        int[] own = strides(shape);
        int[] s = new int[target.length];
        int lead = target.length - shape.length;
        for (int i = lead; i < target.length; i++) {
            int d = shape[i - lead];
            s[i] = (d == 1 && target[i] != 1) ? 0 : own[i - lead];
        }
        return s;
    }

    static boolean canBroadcastTo(int[] shape, int[] target) {
        if (shape.length > target.length) return false;
        int lead = target.length - shape.length;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] != 1 && shape[i] != target[i + lead]) return false;
        }
        return true;
    }

    static int axis(String op, int axis, int rank) {
        int lo = -Math.max(rank, 1), hi = Math.max(rank, 1) - 1;
        if (axis < lo || axis > hi) {
            throw new IllegalArgumentException(op + ": axis " + axis + " is out of range for a tensor of rank " + rank
                    + " (expected " + lo + ".." + hi + ")");
        }
        return axis < 0 ? axis + rank : axis;
    }

    /** Normalised, sorted, duplicate-free axes; an empty array means every axis. */
    static int[] axes(String op, int[] axes, int rank) {
        if (axes.length == 0) {
            int[] all = new int[rank];
            for (int i = 0; i < rank; i++) all[i] = i;
            return all;
        }
        int[] out = new int[axes.length];
        for (int i = 0; i < axes.length; i++) out[i] = axis(op, axes[i], rank);
        Arrays.sort(out);
        for (int i = 1; i < out.length; i++) {
            if (out[i] == out[i - 1]) throw new IllegalArgumentException(op + ": axis " + out[i] + " appears twice in " + Arrays.toString(axes));
        }
        return out;
    }

    /** The shape after reducing {@code axes} (sorted, normalised), keeping them as size 1 or dropping them. */
    static int[] reduced(int[] shape, int[] axes, boolean keepDims) {
        int[] keep = shape.clone();
        for (int a : axes) keep[a] = 1;
        if (keepDims) return keep;
        int[] out = new int[shape.length - axes.length];
        for (int i = 0, j = 0, k = 0; i < shape.length; i++) {
            if (k < axes.length && axes[k] == i) k++;
            else out[j++] = shape[i];
        }
        return out;
    }

    /**
     * Visits the index space {@code shape} row by row in row-major order. For each innermost row it passes the flat
     * offsets of up to three operands, each addressed by its own strides (0 where broadcast).
     */
    static void rows(int[] shape, int[] s0, int[] s1, int[] s2, RowVisitor v) {
        int rank = shape.length;
        if (size(shape) == 0) return;
        if (rank <= 1) {
            v.row(0, 0, 0);
            return;
        }
        int[] idx = new int[rank - 1];
        int o0 = 0, o1 = 0, o2 = 0;
        while (true) {
            v.row(o0, o1, o2);
            int d = rank - 2;
            while (d >= 0) {
                idx[d]++;
                o0 += s0[d];
                o1 += s1 == null ? 0 : s1[d];
                o2 += s2 == null ? 0 : s2[d];
                if (idx[d] < shape[d]) break;
                o0 -= s0[d] * shape[d];
                o1 -= s1 == null ? 0 : s1[d] * shape[d];
                o2 -= s2 == null ? 0 : s2[d] * shape[d];
                idx[d] = 0;
                d--;
            }
            if (d < 0) return;
        }
    }

    /** A contiguous copy of the elements of {@code x} laid out as {@code shape} with the given (source) strides. */
    static double[] gather(double[] x, int[] shape, int[] strides) {
        double[] o = new double[size(shape)];
        int n = inner(shape), is = innerStride(strides);
        int[] pos = {0};
        rows(shape, strides, null, null, (off, u1, u2) -> {
            int p = pos[0];
            // the common strides as bulk operations (a broadcast value, a contiguous row), which the JIT does not
            // derive from the general loop
            if (is == 0) java.util.Arrays.fill(o, p, p + n, x[off]);
            else if (is == 1) System.arraycopy(x, off, o, p, n);
            else for (int i = 0; i < n; i++) o[p + i] = x[off + i * is];
            pos[0] += n;
        });
        return o;
    }

    static int inner(int[] shape) {
        return shape.length == 0 ? 1 : shape[shape.length - 1];
    }

    static int innerStride(int[] strides) {
        return strides.length == 0 ? 1 : strides[strides.length - 1];
    }

    @FunctionalInterface
    interface RowVisitor {
        void row(int o0, int o1, int o2);
    }
}
