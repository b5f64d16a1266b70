package dev.descent.examples;

import static org.junit.jupiter.api.Assertions.*;

import dev.descent.nn.data.TensorDataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GdVariantsDemoTest {

    @Test
    void sgdEscapesTheShallowMinimumMoreOftenThanFullBatchDescent(@TempDir Path dir) throws Exception {
        GdVariantsDemo demo = new GdVariantsDemo(256, 4, 8, 1500);
        Section s = demo.run(42, dir, Progress.silent());
        assertEquals(5, s.charts().size());
        for (Path png : s.charts()) assertTrue(Files.size(png) > 5000, png + " is " + Files.size(png) + " bytes");

        // the escape counts as the report's table gives them (computing them again would double the test's time)
        int sgd = escaped(s.markdown(), "stochastic (batch 1)"), full = escaped(s.markdown(), "full batch (64)");
        assertEquals(0, full, "full-batch descent stays in the basin it starts in");
        assertTrue(sgd >= 4, "batch-1 SGD escapes in " + sgd + " of 8 seeds");
    }

    private static int escaped(String markdown, String variant) {
        var m = java.util.regex.Pattern.compile("\\| " + java.util.regex.Pattern.quote(variant) + " \\| (\\d+) of 8 \\|").matcher(markdown);
        assertTrue(m.find(), variant + " in " + markdown);
        return Integer.parseInt(m.group(1));
    }

    @Test
    void everySeedHasAShallowAndADeepMinimum() {
        for (long seed = 0; seed < 50; seed++) {
            double[] a = GdVariantsDemo.samples(seed);
            GdVariantsDemo.Landscape land = GdVariantsDemo.landscape(a);
            assertTrue(land.deep() < land.barrier() && land.barrier() < land.shallow() && land.shallow() < GdVariantsDemo.START);
            assertTrue(GdVariantsDemo.empiricalLoss(a, land.deep()) < GdVariantsDemo.empiricalLoss(a, land.shallow()) - 0.3);
        }
    }

    @Test
    void smallBatchesTakeMoreStepsPerEpochAndTheirGradientNoiseFallsAsOneOverB() {
        TensorDataset data = GdVariantsDemo.regression(256, 42);
        GdVariantsDemo.Curve one = GdVariantsDemo.train(data, 1, 2, 42, Progress.silent());
        GdVariantsDemo.Curve full = GdVariantsDemo.train(data, 256, 2, 42, Progress.silent());
        assertEquals(512, one.updates());
        assertEquals(2, full.updates());
        assertTrue(one.lossAfter(1) < 0.1 * full.lossAfter(1), one.lossAfter(1) + " vs " + full.lossAfter(1));
        List<GdVariantsDemo.Noise> noise = GdVariantsDemo.gradientNoise(data, new int[] {1, 16}, 42);
        double ratio = noise.get(0).measured() / noise.get(1).measured();
        assertTrue(ratio > 10 && ratio < 25, "noise ratio between batch 1 and batch 16: " + ratio);
    }
}
