package dev.descent.optim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.core.Rng;
import dev.descent.core.Tape;
import dev.descent.core.Tensor;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Full-batch, stochastic and mini-batch gradient descent are the same {@link SGD}: only the number of examples behind
 * each gradient changes. On a least-squares problem the full batch converges to the exact solution; with a constant
 * learning rate the noisy gradients of small batches keep the iterate within a small ball around it.
 */
class GradientDescentBatchSizeTest {
    private static final int N = 64;

    @ParameterizedTest(name = "batch size {0} (lr {1}, {2} epochs) ends within {3} of the least-squares solution")
    @CsvSource({
        "64, 0.3, 300, 1e-9", // full batch: gradient descent
        "8,  0.05, 60, 0.02", // mini-batch
        "1,  0.01, 30, 0.02", // stochastic: one example per step
    })
    void sgdIsEveryFormOfGradientDescent(int batchSize, double lr, int epochs, double tolerance) {
        Rng rng = new Rng(7);
        double[] xs = new double[N * 3], ys = new double[N];
        for (int i = 0; i < N; i++) {
            double a = rng.nextGaussian(), b = rng.nextGaussian();
            xs[3 * i] = a;
            xs[3 * i + 1] = b;
            xs[3 * i + 2] = 1; // bias column
            ys[i] = 2 * a - b + 0.5 + 0.1 * rng.nextGaussian();
        }
        Tensor x = Tensor.of(xs, N, 3), y = Tensor.of(ys, N, 1);
        Tensor w = Tensor.zeros(3, 1).requiresGrad(true);
        SGD sgd = new SGD(List.of(w), lr);
        for (int epoch = 0; epoch < epochs; epoch++) {
            int[] order = rng.permutation(N);
            for (int start = 0; start < N; start += batchSize) {
                int[] batch = java.util.Arrays.copyOfRange(order, start, Math.min(N, start + batchSize));
                sgd.zeroGrad();
                try (Tape tape = Tape.record()) {
                    tape.backward(x.indexSelect(0, batch).matmul(w).sub(y.indexSelect(0, batch)).square().mean());
                }
                sgd.step();
            }
        }
        double[] exact = leastSquares(xs, ys);
        double error = 0;
        for (int j = 0; j < 3; j++) error = Math.max(error, Math.abs(w.data()[j] - exact[j]));
        assertTrue(error <= tolerance, "max |w - w*| = " + error);
    }

    /** Solves the normal equations XᵀX w = Xᵀy by Gaussian elimination (X is N x 3). */
    private static double[] leastSquares(double[] xs, double[] ys) {
        double[][] a = new double[3][4];
        for (int i = 0; i < N; i++) {
            for (int r = 0; r < 3; r++) {
                for (int c = 0; c < 3; c++) a[r][c] += xs[3 * i + r] * xs[3 * i + c];
                a[r][3] += xs[3 * i + r] * ys[i];
            }
        }
        for (int k = 0; k < 3; k++) {
            for (int r = k + 1; r < 3; r++) {
                double f = a[r][k] / a[k][k];
                for (int c = k; c < 4; c++) a[r][c] -= f * a[k][c];
            }
        }
        double[] w = new double[3];
        for (int k = 2; k >= 0; k--) {
            double s = a[k][3];
            for (int c = k + 1; c < 3; c++) s -= a[k][c] * w[c];
            w[k] = s / a[k][k];
        }
        return w;
    }
}
