package dev.descent.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.core.Conv2dOptions;
import dev.descent.core.Rng;
import dev.descent.core.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** PyTorch's initialisation, shapes, channel dropout and the bad-input messages of the convolution and pooling layers. */
class ConvLayerTest {

    /** Every |value| below the bound, the largest within 1 % of it: a uniform fill of U(-bound, bound). */
    private static void fillsUniform(String what, Tensor t, double bound) {
        double max = 0;
        for (double v : t.toArray()) max = Math.max(max, Math.abs(v));
        double m = max;
        assertTrue(max < bound && max > 0.99 * bound, () -> what + " fills U(-" + bound + ", " + bound + "): max |v| = " + m);
    }

    @Test
    void initialisationIsPyTorchsDefaultWithTheFanInOfTheWeight() {
        // fanIn = in / groups * kH * kW for Conv2d, out / groups * kH * kW for ConvTranspose2d (PyTorch's
        // _calculate_fan_in_and_fan_out on the weight); weight and bias both U(-1/sqrt(fanIn), 1/sqrt(fanIn))
        Conv2d conv = new Conv2d(32, 64, 3, 3, Conv2dOptions.DEFAULT.groups(2), true, new Rng(3));
        assertArrayEquals(new int[] {64, 16, 3, 3}, conv.weight().shape());
        fillsUniform("Conv2d weight", conv.weight(), 1 / Math.sqrt(16 * 9));
        ConvTranspose2d up = new ConvTranspose2d(40, 60, 2, 3, Conv2dOptions.DEFAULT, 0, 0, true, new Rng(4));
        assertArrayEquals(new int[] {40, 60, 2, 3}, up.weight().shape());
        fillsUniform("ConvTranspose2d weight", up.weight(), 1 / Math.sqrt(60 * 6));
        Conv1d c1 = new Conv1d(50, 600, 2, new Rng(5));
        fillsUniform("Conv1d bias", c1.bias(), 1 / Math.sqrt(100));
        assertArrayEquals(new Conv2d(32, 64, 3, 3, Conv2dOptions.DEFAULT.groups(2), true, new Rng(3)).weight().toArray(),
                conv.weight().toArray(), "same seed, same weights");
    }

    @Test
    void layersTakeBatchedAndUnbatchedInputs() {
        Rng rng = new Rng(7);
        Tensor x = Tensor.uniform(rng, -1, 1, 3, 9, 8);
        Module[] layers = {new Conv2d(3, 4, 3, 2, 1, rng), new ConvTranspose2d(3, 2, 3, rng), new MaxPool2d(2), new AvgPool2d(3),
                           new AdaptiveAvgPool2d(2, 3), new AdaptiveMaxPool2d(1)};
        for (Module m : layers) {
            Tensor batched = m.forward(x.unsqueeze(0)), single = m.forward(x);
            assertEquals(4, batched.dim(), m::toString);
            assertArrayEquals(batched.squeeze(0).toArray(), single.toArray(), m::toString);
        }
        // L' = (10 + 2 * 1 - 2 * (3 - 1) - 1) / 1 + 1 = 8
        Conv1d c1 = new Conv1d(3, 2, 3, 1, 1, 2, 1, true, rng);
        Tensor seq = Tensor.uniform(rng, -1, 1, 3, 10);
        assertArrayEquals(new int[] {2, 8}, c1.forward(seq).shape());
        assertArrayEquals(c1.forward(seq.unsqueeze(0)).squeeze(0).toArray(), c1.forward(seq).toArray());
    }

    @Test
    void dropout2dZeroesWholeChannelsAndScalesTheRest() {
        Dropout2d drop = new Dropout2d(0.25, new Rng(11));
        Tensor x = Tensor.ones(40, 50, 3, 2);
        Tensor y = drop.forward(x);
        int dropped = 0;
        for (int c = 0; c < 40 * 50; c++) {
            double first = y.data()[c * 6];
            for (int i = 0; i < 6; i++) assertEquals(first, y.data()[c * 6 + i], "channel " + c + " is zeroed or kept whole");
            assertTrue(first == 0 || first == 1 / 0.75, "kept channels are scaled by 1/(1-p)");
            if (first == 0) dropped++;
        }
        // 2000 channels, p = 0.25: the count is Binomial(2000, 0.25), mean 500, standard deviation 19.4
        assertTrue(Math.abs(dropped - 500) < 80, "dropped " + dropped + " of 2000 channels");
        drop.eval();
        assertSame(x, drop.forward(x));
    }

    private static void refuses(String message, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertEquals(message, e.getMessage());
    }

    @Test
    void badInputNamesTheLayerWhatItExpectedAndWhatItGot() {
        Rng rng = new Rng(1);
        Conv2d conv = new Conv2d(3, 16, 5, rng);
        refuses("Conv2d: expected input [N, 3, H, W] or [3, H, W], got [8, 1, 28, 28]", () -> conv.forward(Tensor.zeros(8, 1, 28, 28)));
        refuses("Conv2d: expected input [N, 3, H, W] or [3, H, W], got [28, 28]", () -> conv.forward(Tensor.zeros(28, 28)));
        refuses("Conv2d: expected an input of at least [5 x 5] in H, W for its kernel, padding and dilation, got [2, 3, 4, 9] ([4 x 9])",
                () -> conv.forward(Tensor.zeros(2, 3, 4, 9)));
        refuses("Conv2d: expected padding >= 0, got [-1]", () -> new Conv2d(3, 16, 3, 1, -1, rng));
        refuses("Conv2d: expected stride >= 1, got [0]", () -> new Conv2d(3, 16, 3, 0, 1, rng));
        refuses("Conv2d: in_channels must be divisible by groups, got in_channels=3, groups=2",
                () -> new Conv2d(3, 16, 3, Conv2dOptions.DEFAULT.groups(2), rng));
        refuses("Conv1d: expected stride >= 1, got [0]", () -> new Conv1d(3, 4, 3, 0, 0, 1, 1, true, rng));
        refuses("Conv1d: expected padding >= 0, got [-2]", () -> new Conv1d(3, 4, 3, 1, -2, 1, 1, true, rng));
        refuses("Conv1d: expected input [N, 3, L] or [3, L], got [2, 4, 10]", () -> new Conv1d(3, 4, 3, rng).forward(Tensor.zeros(2, 4, 10)));
        refuses("ConvTranspose2d: expected input [N, 4, H, W] or [4, H, W], got [1, 3, 5, 5]",
                () -> new ConvTranspose2d(4, 2, 3, rng).forward(Tensor.zeros(1, 3, 5, 5)));
        refuses("ConvTranspose2d: output padding must be non-negative and smaller than either stride or dilation, got"
                + " output_padding=[1, 0], stride=[1, 1], dilation=[1, 1]",
                () -> new ConvTranspose2d(4, 2, 3, 3, Conv2dOptions.DEFAULT, 1, 0, true, rng));
        refuses("AvgPool2d: expected dilation 1 (average pooling has none), got [2, 2]",
                () -> new AvgPool2d(dev.descent.core.Pool2dOptions.of(2).dilation(2), true));
        refuses("AdaptiveAvgPool2d: expected a positive output size, got [0, 0]", () -> new AdaptiveAvgPool2d(0));
        refuses("MaxPool2d: expected input [N, C, H, W] or [C, H, W], got [4, 5]", () -> new MaxPool2d(2).forward(Tensor.zeros(4, 5)));
        refuses("AdaptiveAvgPool2d: expected input [N, C, H, W] or [C, H, W], got [2, 1, 3, 4, 5]",
                () -> new AdaptiveAvgPool2d(1).forward(Tensor.zeros(2, 1, 3, 4, 5)));
        refuses("Dropout2d: expected input [N, C, H, W] or [C, H, W], got [4, 5]", () -> new Dropout2d(0.5, rng).forward(Tensor.zeros(4, 5)));
    }
}
