package dev.descent.core.kernel;

/**
 * A program that {@link ElementwiseTest} runs in a JVM without {@code --add-modules jdk.incubator.vector}: it calls
 * every kernel of the facade, checks a few results and prints {@link #OK}. Any use of the Vector API would fail here
 * with {@link NoClassDefFoundError}.
 */
final class WithoutVectorModule {

    static final String OK = "elementwise kernels ran on the scalar path";

    private WithoutVectorModule() {}

    public static void main(String[] args) {
        if (Elementwise.vectorized()) {
            throw new AssertionError("the facade claims the Vector API without the module");
        }
        int n = 37;
        double[] a = new double[n], b = new double[n], out = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
            b[i] = 2;
        }
        Elementwise.add(a, 0, b, 0, out, 0, n);
        Elementwise.sub(out, 0, b, 0, out, 0, n);
        Elementwise.mul(out, 0, b, 0, out, 0, n);
        Elementwise.div(out, 0, b, 0, out, 0, n);
        Elementwise.scale(3, out, 0, out, 0, n);
        Elementwise.addScalar(-1, out, 0, out, 0, n);
        Elementwise.axpy(-2, a, 0, out, 0, n); // out = 3a - 1 - 2a = a - 1
        check("maps", Elementwise.sum(out, 0, n), 36 * 37 / 2.0 - 37);
        check("sum", Elementwise.sum(a, 0, n), 36 * 37 / 2.0);
        check("dot", Elementwise.dot(a, 0, b, 0, n), 36 * 37);
        check("sumOfSquares", Elementwise.sumOfSquares(a, 0, n), 36 * 37 * 73 / 6.0);
        check("max", Elementwise.max(a, 0, n), 36);
        double[] columns = new double[1];
        ColumnSums.sums(a, n, 1, columns);
        check("column sums", columns[0], 36 * 37 / 2.0);
        ChannelKernels.sums(a, n, 1, 1, columns, 1);
        check("channel sums, short runs", columns[0], 36 * 37 / 2.0);
        ChannelKernels.sums(a, 1, 1, n, columns, 1);
        check("channel sums, long runs", columns[0], 36 * 37 / 2.0);
        double[] y = new double[n], mean = new double[1], rstd = new double[1];
        RowKernels.forward(a, y, 1, n, 1, null, null, 0, mean, rstd);
        check("row mean", mean[0], 18);
        System.out.println(OK);
    }

    private static void check(String what, double actual, double expected) {
        if (actual != expected) {
            throw new AssertionError(what + ": expected " + expected + ", got " + actual);
        }
    }
}
