package dev.descent.optim;

import java.util.Arrays;

/**
 * Eigenvalues of a small symmetric matrix by the cyclic Jacobi method (Golub and Van Loan, "Matrix Computations",
 * 4th ed., section 8.5): plane rotations {@code A ← Jᵀ A J}, each zeroing one off-diagonal pair, swept over all pairs
 * until the off-diagonal mass is negligible. Slow (O(n³) per sweep) but simple and accurate to a few ulps of
 * {@code ‖A‖} for the small Hessians {@link Newton} works with.
 */
public final class SymmetricEigen {
    private SymmetricEigen() {}

    /**
     * The eigenvalues, ascending, of the symmetric {@code n × n} matrix {@code a} (row-major; only its symmetric part
     * {@code (A + Aᵀ)/2} is used; {@code a} is not modified).
     */
    public static double[] eigenvalues(double[] a, int n) {
        if (a.length != n * n) throw new IllegalArgumentException("eigenvalues: " + a.length + " values for a " + n + "×" + n + " matrix");
        double[] m = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) m[i * n + j] = 0.5 * (a[i * n + j] + a[j * n + i]);
        }
        double total = 0;
        for (double v : m) total += v * v;
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) off += m[p * n + q] * m[p * n + q];
            }
            if (off <= 1e-32 * total || off == 0) break;
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) rotate(m, n, p, q);
            }
        }
        double[] values = new double[n];
        for (int i = 0; i < n; i++) values[i] = m[i * n + i];
        Arrays.sort(values);
        return values;
    }

    /** One Jacobi rotation in the (p, q) plane that zeroes m[p][q] (Numerical Recipes' stable form). */
    private static void rotate(double[] m, int n, int p, int q) {
        double apq = m[p * n + q];
        if (apq == 0) return;
        double theta = (m[q * n + q] - m[p * n + p]) / (2 * apq);
        double t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        double c = 1 / Math.sqrt(t * t + 1), s = t * c;
        for (int k = 0; k < n; k++) {
            if (k == p || k == q) continue;
            double akp = m[k * n + p], akq = m[k * n + q];
            m[k * n + p] = m[p * n + k] = c * akp - s * akq;
            m[k * n + q] = m[q * n + k] = s * akp + c * akq;
        }
        m[p * n + p] -= t * apq;
        m[q * n + q] += t * apq;
        m[p * n + q] = m[q * n + p] = 0;
    }

    /** {@code max|λ| / min|λ|} of the given eigenvalues: the 2-norm condition number of a symmetric matrix (∞ if singular). */
    public static double conditionNumber(double[] eigenvalues) {
        double max = 0, min = Double.POSITIVE_INFINITY;
        for (double v : eigenvalues) {
            max = Math.max(max, Math.abs(v));
            min = Math.min(min, Math.abs(v));
        }
        return min == 0 ? Double.POSITIVE_INFINITY : max / min;
    }
}
