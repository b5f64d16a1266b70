package dev.descent.nn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.core.Rng;
import dev.descent.core.Tensor;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Random flips and crops: every output is one of the allowed images, the choices spread as stated, runs reproduce and resume. */
class TransformTest {
    /** {@code n} examples of {@code c} channels of distinct values, so any shift or mirror is recognisable. */
    private static Tensor images(int n, int c, int h, int w) {
        return Tensor.arange(n * c * h * w).add(1).reshape(n, c, h, w);
    }

    /** Example {@code e} of {@code x} moved down by {@code dy} and right by {@code dx}, zeros where it moved in from outside. */
    private static double[] shifted(Tensor x, int e, int dy, int dx) {
        int c = x.shape(1), h = x.shape(2), w = x.shape(3);
        double[] v = x.toArray(), out = new double[c * h * w];
        for (int ch = 0; ch < c; ch++) {
            for (int r = 0; r < h; r++) {
                for (int col = 0; col < w; col++) {
                    int sr = r - dy, sc = col - dx;
                    if (sr >= 0 && sr < h && sc >= 0 && sc < w) out[(ch * h + r) * w + col] = v[((e * c + ch) * h + sr) * w + sc];
                }
            }
        }
        return out;
    }

    private static double[] example(Tensor x, int e) {
        int per = x.size() / x.shape(0);
        return java.util.Arrays.copyOfRange(x.toArray(), e * per, (e + 1) * per);
    }

    /** Example {@code e} of {@code x} with every row reversed. */
    private static double[] mirrored(Tensor x, int e) {
        double[] v = example(x, e), out = new double[v.length];
        int w = x.shape(x.dim() - 1);
        for (int i = 0; i < v.length; i++) out[i] = v[i - i % w + (w - 1 - i % w)];
        return out;
    }

    private static double[] mirroredAll(Tensor x) {
        int per = x.size() / x.shape(0);
        double[] out = new double[x.size()];
        for (int e = 0; e < x.shape(0); e++) System.arraycopy(mirrored(x, e), 0, out, e * per, per);
        return out;
    }

    @Test
    void aFlipMirrorsTheChosenExamplesOnlyAboutHalfOfThemAndLeavesTheInputAlone() {
        Tensor x = images(2000, 2, 3, 5), before = x.copy();
        Tensor y = new RandomHorizontalFlip().apply(x, new Rng(1));
        assertArrayEquals(before.toArray(), x.toArray(), "the input is not changed");
        assertArrayEquals(x.shape(), y.shape());
        int flipped = 0;
        for (int e = 0; e < 2000; e++) {
            double[] got = example(y, e);
            if (java.util.Arrays.equals(got, mirrored(x, e))) flipped++;
            else assertArrayEquals(example(x, e), got, "example " + e + " is either as it was or mirrored");
        }
        // binomial(2000, 0.5): 1000 ± 22 (one standard deviation); a fixed seed, so this cannot flake
        assertTrue(flipped > 930 && flipped < 1070, "flipped " + flipped + " of 2000 with p = 0.5");
        assertArrayEquals(mirroredAll(x), new RandomHorizontalFlip(1).apply(x, new Rng(2)).toArray(), "p = 1 flips all");
        assertArrayEquals(x.toArray(), new RandomHorizontalFlip(0).apply(x, new Rng(2)).toArray(), "p = 0 flips none");
    }

    @Test
    void aCropIsTheImageShiftedByAtMostThePaddingAndEveryShiftOccurs() {
        Tensor x = images(600, 2, 4, 6);
        Tensor y = new RandomCrop(4, 6, 2).apply(x, new Rng(3));
        assertArrayEquals(x.shape(), y.shape());
        Set<String> shifts = new HashSet<>();
        for (int e = 0; e < 600; e++) {
            double[] got = example(y, e);
            List<String> matches = new ArrayList<>();
            for (int dy = -2; dy <= 2; dy++) {
                for (int dx = -2; dx <= 2; dx++) if (java.util.Arrays.equals(got, shifted(x, e, dy, dx))) matches.add(dy + "," + dx);
            }
            assertEquals(1, matches.size(), "example " + e + " is exactly one shift of its image, got " + matches);
            shifts.addAll(matches);
        }
        assertEquals(25, shifts.size(), "all 5 x 5 shifts occur in 600 draws: " + shifts);
        assertArrayEquals(x.toArray(), new RandomCrop(4, 6, 0).apply(x, new Rng(4)).toArray(), "no padding, full size: unchanged");
    }

    @Test
    void aSmallerWindowIsCutFromInsideThePaddedImage() {
        Tensor x = images(50, 1, 5, 5);
        Tensor y = new RandomCrop(3, 1).apply(x, new Rng(5));
        assertArrayEquals(new int[] {50, 1, 3, 3}, y.shape());
        for (int e = 0; e < 50; e++) {
            double[] got = example(y, e), image = example(x, e), padded = new double[49];
            for (int r = 0; r < 5; r++) System.arraycopy(image, r * 5, padded, (r + 1) * 7 + 1, 5);
            boolean found = false;
            for (int top = 0; top <= 4 && !found; top++) {
                for (int left = 0; left <= 4 && !found; left++) {
                    double[] window = new double[9];
                    for (int r = 0; r < 3; r++) for (int c = 0; c < 3; c++) window[r * 3 + c] = padded[(top + r) * 7 + left + c];
                    found = java.util.Arrays.equals(window, got);
                }
            }
            assertTrue(found, "example " + e + " is a 3x3 window of its padded image");
        }
    }

    @Test
    void badShapesAndArgumentsAreRefusedNamingWhatWasExpected() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new RandomCrop(28, -1)).getMessage().contains("padding >= 0, got -1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new RandomCrop(0, 2)).getMessage().contains("positive window"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new RandomHorizontalFlip(1.5)).getMessage().contains("[0, 1], got 1.5"));
        String big = assertThrows(IllegalArgumentException.class, () -> new RandomCrop(9, 1).apply(images(2, 1, 6, 6), new Rng(1))).getMessage();
        assertTrue(big.contains("9 x 9 is larger than the padded image 8 x 8"), big);
        String flat = assertThrows(IllegalArgumentException.class, () -> new RandomCrop(2, 0).apply(Tensor.zeros(4, 5), new Rng(1))).getMessage();
        assertTrue(flat.contains("at least three dimensions, got [4, 5]"), flat);
        String scalar = assertThrows(IllegalArgumentException.class, () -> new RandomHorizontalFlip().apply(Tensor.zeros(4), new Rng(1))).getMessage();
        assertTrue(scalar.contains("at least two dimensions, got [4]"), scalar);
    }

    @Test
    void aTransformedDatasetReproducesFromItsSeedAndResumesFromItsState() {
        TensorDataset base = new TensorDataset(images(40, 1, 6, 6), Tensor.arange(40));
        Transform[] steps = {new RandomCrop(6, 1), new RandomHorizontalFlip()};
        TransformedDataset a = new TransformedDataset(base, new Rng(7), steps), b = new TransformedDataset(base, new Rng(7), steps);
        int[] idx = {3, 1, 4, 1, 5};
        Batch first = a.get(idx);
        assertArrayEquals(first.inputs().toArray(), b.get(idx).inputs().toArray(), "the same seed, the same batch");
        assertArrayEquals(new double[] {3, 1, 4, 1, 5}, first.targets().toArray(), "targets unchanged");
        Map<String, Tensor> saved = a.stateTensors();
        double[] next = a.get(idx).inputs().toArray();
        TransformedDataset c = new TransformedDataset(base, new Rng(99), steps);
        c.loadStateTensors(saved);
        assertArrayEquals(next, c.get(idx).inputs().toArray(), "restored, it draws what the original drew next");
        assertTrue(!java.util.Arrays.equals(first.inputs().toArray(), next), "successive draws differ");
        String bad = assertThrows(IllegalArgumentException.class, () -> c.loadStateTensors(Map.of("state", Tensor.zeros(8)))).getMessage();
        assertTrue(bad.contains("expected exactly the key 'rng.state'"), bad);
    }
}
