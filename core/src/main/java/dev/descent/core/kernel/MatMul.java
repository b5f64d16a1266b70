package dev.descent.core.kernel;
// TEMPORARY stub until the kernels branch lands
public final class MatMul {
    public static void gemm(boolean transA, boolean transB, int m, int n, int k,
                            double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                            double beta, double[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) {
            double s = 0;
            for (int p = 0; p < k; p++) {
                double av = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                double bv = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                s += av * bv;
            }
            c[cOff + i * ldc + j] = (beta == 0 ? 0 : beta * c[cOff + i * ldc + j]) + s;
        }
    }
}
