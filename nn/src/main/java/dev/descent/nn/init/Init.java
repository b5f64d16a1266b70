package dev.descent.nn.init;

import dev.descent.core.Rng;
import dev.descent.core.Tensor;


/**
 * In-place initialisers following PyTorch 1.13's {@code torch.nn.init}. Each writes into the tensor's data, calls
 * {@link Tensor#markModified()} and returns the tensor; the random ones draw from the given {@link Rng} only.
 *
 * <p>Fans follow {@code _calculate_fan_in_and_fan_out}: for a tensor of shape {@code [out, in, k1, k2, ...]},
 * {@code fanIn = in·k1·k2·…} and {@code fanOut = out·k1·k2·…} (the receptive field multiplies both); tensors with
 * fewer than two dimensions have no fans. As in PyTorch, the Kaiming initialisers leave tensors with no elements
 * unchanged.
 */
public final class Init {
    private Init() {}

    /**
     * The recommended gain for a nonlinearity, as {@code torch.nn.init.calculate_gain}: 1 for {@code linear},
     * {@code conv1d}…{@code conv_transpose3d} and {@code sigmoid}; 5/3 for {@code tanh}; √2 for {@code relu};
     * √(2 / (1 + slope²)) for {@code leaky_relu} with slope {@code param} (0.01 when NaN is passed as "none");
     * 3/4 for {@code selu}.
     *
     * @throws IllegalArgumentException {@code Unsupported nonlinearity <name>} for any other name
     */
    public static double calculateGain(String nonlinearity, double param) {
        switch (nonlinearity) {
            case "linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d", "sigmoid":
                return 1;
            case "tanh":
                return 5.0 / 3;
            case "relu":
                return Math.sqrt(2.0);
            case "leaky_relu": {
                double slope = Double.isNaN(param) ? 0.01 : param;
                return Math.sqrt(2.0 / (1 + slope * slope));
            }
            case "selu":
                return 3.0 / 4;
            default:
                throw new IllegalArgumentException("Unsupported nonlinearity " + nonlinearity);
        }
    }

    /** {@link #calculateGain(String, double)} with no parameter (leaky_relu's slope defaults to 0.01). */
    public static double calculateGain(String nonlinearity) {
        return calculateGain(nonlinearity, Double.NaN);
    }

    /** {@code [fanIn, fanOut]} of a tensor of at least two dimensions, as PyTorch's {@code _calculate_fan_in_and_fan_out}. */
    public static int[] fanInAndFanOut(Tensor tensor) {
        int[] s = tensor.shape();
        if (s.length < 2) {
            throw new IllegalArgumentException("Fan in and fan out can not be computed for tensor with fewer than 2 dimensions");
        }
        int receptive = 1;
        for (int d = 2; d < s.length; d++) receptive *= s[d];
        return new int[] {s[1] * receptive, s[0] * receptive};
    }

    /** Fills with draws from U(a, b). */
    public static Tensor uniform(Tensor tensor, double a, double b, Rng rng) {
        double[] v = new double[tensor.size()];
        rng.fillUniform(v, a, b);
        return write(tensor, v);
    }

    /** Fills with draws from N(mean, std²). */
    public static Tensor normal(Tensor tensor, double mean, double std, Rng rng) {
        double[] v = new double[tensor.size()];
        rng.fillNormal(v, mean, std);
        return write(tensor, v);
    }

    /** Fills with {@code val}. */
    public static Tensor constant(Tensor tensor, double val) {
        return tensor.fill(val);
    }

    /** Fills with zeros. */
    public static Tensor zeros(Tensor tensor) {
        return tensor.fill(0.0);
    }

    /**
     * Xavier/Glorot uniform (Glorot and Bengio, 2010): U(−a, a) with {@code a = gain·√(6 / (fanIn + fanOut))}.
     */
    public static Tensor xavierUniform(Tensor tensor, double gain, Rng rng) {
        int[] f = fanInAndFanOut(tensor);
        double std = gain * Math.sqrt(2.0 / (f[0] + f[1]));
        double a = Math.sqrt(3.0) * std;
        return uniform(tensor, -a, a, rng);
    }

    /** Xavier/Glorot normal: N(0, std²) with {@code std = gain·√(2 / (fanIn + fanOut))}. */
    public static Tensor xavierNormal(Tensor tensor, double gain, Rng rng) {
        int[] f = fanInAndFanOut(tensor);
        double std = gain * Math.sqrt(2.0 / (f[0] + f[1]));
        return normal(tensor, 0.0, std, rng);
    }

    /**
     * Kaiming/He uniform (He et al., 2015): U(−bound, bound) with {@code bound = gain·√(3 / fan)}, where
     * {@code gain = calculateGain(nonlinearity, a)} and {@code fan} is chosen by {@code mode}. PyTorch's defaults are
     * {@code a = 0, FAN_IN, "leaky_relu"}; its {@code Linear} uses {@code a = √5}, giving U(−1/√fanIn, 1/√fanIn).
     */
    public static Tensor kaimingUniform(Tensor tensor, double a, FanMode mode, String nonlinearity, Rng rng) {
        if (tensor.size() == 0) return tensor;
        double std = calculateGain(nonlinearity, a) / Math.sqrt(fan(tensor, mode));
        double bound = Math.sqrt(3.0) * std;
        return uniform(tensor, -bound, bound, rng);
    }

    /**
     * {@link #kaimingUniform(Tensor, double, FanMode, String, Rng)} with PyTorch's defaults {@code a = 0},
     * {@link FanMode#FAN_IN}, {@code "leaky_relu"}: U(−bound, bound) with {@code bound = √(6 / fanIn)}.
     */
    public static Tensor kaimingUniform(Tensor tensor, Rng rng) {
        return kaimingUniform(tensor, 0.0, FanMode.FAN_IN, "leaky_relu", rng);
    }

    /** Kaiming/He normal: N(0, std²) with {@code std = gain / √fan}, arguments as {@link #kaimingUniform}. */
    public static Tensor kaimingNormal(Tensor tensor, double a, FanMode mode, String nonlinearity, Rng rng) {
        if (tensor.size() == 0) return tensor;
        double std = calculateGain(nonlinearity, a) / Math.sqrt(fan(tensor, mode));
        return normal(tensor, 0.0, std, rng);
    }

    /**
     * {@link #kaimingNormal(Tensor, double, FanMode, String, Rng)} with PyTorch's defaults {@code a = 0},
     * {@link FanMode#FAN_IN}, {@code "leaky_relu"}: N(0, std²) with {@code std = √(2 / fanIn)}.
     */
    public static Tensor kaimingNormal(Tensor tensor, Rng rng) {
        return kaimingNormal(tensor, 0.0, FanMode.FAN_IN, "leaky_relu", rng);
    }

    private static int fan(Tensor tensor, FanMode mode) {
        int[] f = fanInAndFanOut(tensor);
        return mode == FanMode.FAN_IN ? f[0] : f[1];
    }

    /**
     * A (semi-)orthogonal matrix scaled by {@code gain} (Saxe et al., 2013), as {@code torch.nn.init.orthogonal_}: the
     * tensor is viewed as {@code rows = shape[0]} by {@code cols = size / rows}; a standard normal matrix of that shape
     * (transposed when {@code rows < cols}) is factored as QR by Householder reflections, and Q's columns are
     * multiplied by the signs of R's diagonal, which makes Q Haar-distributed (Mezzadri, 2007). The result has
     * orthonormal rows or columns, whichever are fewer.
     */
    public static Tensor orthogonal(Tensor tensor, double gain, Rng rng) {
        if (tensor.dim() < 2) throw new IllegalArgumentException("Only tensors with 2 or more dimensions are supported");
        if (tensor.size() == 0) return tensor;
        int rows = tensor.shape(0);
        int cols = tensor.size() / rows;
        boolean transposed = rows < cols;
        int m = transposed ? cols : rows;
        int n = transposed ? rows : cols;
        double[] flat = new double[rows * cols];
        rng.fillNormal(flat, 0.0, 1.0);
        double[] a = transposed ? transpose(flat, rows, cols) : flat; // m x n, m >= n
        double[] q = householderQ(a, m, n);
        double[] out = transposed ? transpose(q, m, n) : q;
        for (int i = 0; i < out.length; i++) out[i] *= gain;
        return write(tensor, out);
    }

    private static Tensor write(Tensor tensor, double[] values) {
        System.arraycopy(values, 0, tensor.data(), 0, values.length);
        tensor.markModified();
        return tensor;
    }

    private static double[] transpose(double[] a, int r, int c) {
        double[] t = new double[a.length];
        for (int i = 0; i < r; i++) for (int j = 0; j < c; j++) t[j * r + i] = a[i * c + j];
        return t;
    }

    /**
     * The m×n factor Q of A = QR (m ≥ n, A row-major, overwritten) with R's diagonal made non-negative, i.e. the Q of
     * the unique QR with positive diagonal when A has full rank.
     */
    static double[] householderQ(double[] a, int m, int n) {
        double[][] vs = new double[n][];
        double[] sign = new double[n];
        for (int k = 0; k < n; k++) {
            double norm = 0;
            for (int i = k; i < m; i++) norm += a[i * n + k] * a[i * n + k];
            norm = Math.sqrt(norm);
            double x0 = a[k * n + k];
            double alpha = x0 >= 0 ? -norm : norm; // reflect away from x to avoid cancellation
            double[] v = new double[m - k];
            for (int i = k; i < m; i++) v[i - k] = a[i * n + k];
            v[0] -= alpha;
            double vv = 0;
            for (double x : v) vv += x * x;
            if (vv > 0) {
                for (int j = k; j < n; j++) { // A[k:, j] -= 2 v (v·A[k:, j]) / (v·v)
                    double dot = 0;
                    for (int i = k; i < m; i++) dot += v[i - k] * a[i * n + j];
                    double s = 2 * dot / vv;
                    for (int i = k; i < m; i++) a[i * n + j] -= s * v[i - k];
                }
                vs[k] = v;
            }
            sign[k] = Math.signum(a[k * n + k]); // R[k][k] after the reflection
        }
        double[] q = new double[m * n]; // Q = H_0 ... H_{n-1} I[:, :n], applied right to left
        for (int j = 0; j < n; j++) q[j * n + j] = 1;
        for (int k = n - 1; k >= 0; k--) {
            double[] v = vs[k];
            if (v == null) continue;
            double vv = 0;
            for (double x : v) vv += x * x;
            for (int j = 0; j < n; j++) {
                double dot = 0;
                for (int i = k; i < m; i++) dot += v[i - k] * q[i * n + j];
                double s = 2 * dot / vv;
                for (int i = k; i < m; i++) q[i * n + j] -= s * v[i - k];
            }
        }
        for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) q[i * n + j] *= sign[j];
        return q;
    }

}
