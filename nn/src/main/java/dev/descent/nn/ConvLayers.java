package dev.descent.nn;

import dev.descent.core.Rng;
import dev.descent.core.Tensor;
import dev.descent.nn.init.FanMode;
import dev.descent.nn.init.Init;

import java.util.Arrays;

/** What the convolution layers share: PyTorch's default initialisation and the checks of their arguments and inputs. */
final class ConvLayers {
    private ConvLayers() {}

    /**
     * PyTorch's {@code _ConvNd.reset_parameters}: the weight by {@code kaiming_uniform_(a = √5)}, which is
     * U(−1/√fanIn, 1/√fanIn), then the bias from the same U(−1/√fanIn, 1/√fanIn), with fanIn computed from the weight
     * ({@code weight.shape[1]} times the kernel size).
     */
    static void initialise(Module m, int[] weightShape, boolean bias, int biasSize, Rng rng) {
        Tensor w = Init.kaimingUniform(Tensor.zeros(weightShape), Math.sqrt(5), FanMode.FAN_IN, "leaky_relu", rng);
        m.registerParameter("weight", w);
        if (bias) {
            int fanIn = Init.fanInAndFanOut(w)[0];
            double bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
            m.registerParameter("bias", Init.uniform(Tensor.zeros(biasSize), -bound, bound, rng));
        }
    }

    /** Positive channel counts that {@code groups} divides, and a positive kernel, with PyTorch's wording. */
    static void checkChannels(String layer, int in, int out, int groups, int... kernel) {
        if (in < 1 || out < 1) {
            throw new IllegalArgumentException(layer + ": expected positive channel counts, got in_channels=" + in + ", out_channels=" + out);
        }
        if (groups < 1) throw new IllegalArgumentException(layer + ": expected groups >= 1, got " + groups);
        if (in % groups != 0) throw new IllegalArgumentException(layer + ": in_channels must be divisible by groups, got in_channels=" + in + ", groups=" + groups);
        if (out % groups != 0) throw new IllegalArgumentException(layer + ": out_channels must be divisible by groups, got out_channels=" + out + ", groups=" + groups);
        for (int k : kernel) {
            if (k < 1) throw new IllegalArgumentException(layer + ": expected a kernel size of at least 1, got " + Arrays.toString(kernel));
        }
    }

    /** Stride and dilation at least 1, padding non-negative. */
    static void checkWindow(String layer, int[] stride, int[] padding, int[] dilation) {
        if (Arrays.stream(stride).anyMatch(s -> s < 1)) throw new IllegalArgumentException(layer + ": expected stride >= 1, got " + Arrays.toString(stride));
        if (Arrays.stream(padding).anyMatch(p -> p < 0)) throw new IllegalArgumentException(layer + ": expected padding >= 0, got " + Arrays.toString(padding));
        if (Arrays.stream(dilation).anyMatch(d -> d < 1)) throw new IllegalArgumentException(layer + ": expected dilation >= 1, got " + Arrays.toString(dilation));
    }

    /**
     * An input of {@code spatial.length + 2} dimensions (batched) or one fewer (unbatched) with {@code channels}
     * channels, each spatial size at least {@code min[i]}; the message shows the expected shape as
     * {@code [N, 3, H, W] or [3, H, W]}.
     */
    static void checkInput(String layer, Tensor x, int channels, String[] spatial, int[] min) {
        int[] s = x.shape();
        int r = s.length, batched = spatial.length + 2;
        String dims = String.join(", ", spatial);
        if ((r != batched && r != batched - 1) || s[r - spatial.length - 1] != channels) {
            throw new IllegalArgumentException(layer + ": expected input [N, " + channels + ", " + dims + "] or [" + channels + ", "
                    + dims + "], got " + Arrays.toString(s));
        }
        for (int i = 0; i < spatial.length; i++) {
            if (s[r - spatial.length + i] < min[i]) {
                int[] got = Arrays.copyOfRange(s, r - spatial.length, r);
                throw new IllegalArgumentException(layer + ": expected an input of at least " + Arrays.toString(min).replace(", ", " x ")
                        + " in " + dims + " for its kernel, padding and dilation, got " + Arrays.toString(s) + " (" + Arrays.toString(got)
                        .replace(", ", " x ") + ")");
            }
        }
    }

    /** The smallest input size a kernel of {@code k} taps with dilation {@code d} fits after padding {@code p}. */
    static int minimum(int k, int p, int d) {
        return Math.max(1, d * (k - 1) + 1 - 2 * p);
    }
}
