package dev.descent.examples;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VanishingDemoTest {

    @Test
    void deepSigmoidGradientsVanishTowardsTheInputAndEveryFixKeepsThem(@TempDir Path dir) throws Exception {
        VanishingDemo d = new VanishingDemo();
        d.width = 16;
        d.steps = 40;
        d.examples = 64;
        List<VanishingDemo.Run> runs = d.runAll(42, Progress.silent());
        VanishingDemo.Run sigmoid = runs.get(0), tanh = runs.get(1);
        assertEquals("sigmoid, default init", sigmoid.name());
        assertTrue(sigmoid.firstOverLast(0) < 1e-3, "sigmoid layer 1 / layer 20 at init: " + sigmoid.firstOverLast(0));
        assertTrue(sigmoid.firstOverLast(d.steps - 1) < 1e-3, "and still after training: " + sigmoid.firstOverLast(d.steps - 1));
        assertTrue(sigmoid.verdicts().matches(".*\\b1\\d vanishing.*"), "GradientFlow calls most layers vanishing: " + sigmoid.verdicts());
        assertTrue(runs.get(3).verdicts().equals("20 healthy"), "tanh + Xavier: " + runs.get(3).verdicts());
        assertTrue(tanh.firstOverLast(0) < 1e-2, "tanh with the default init vanishes too: " + tanh.firstOverLast(0));
        // the decay is geometric: every layer passes on less than it receives
        double[] g = sigmoid.grads()[0];
        for (int l = 1; l < g.length; l++) assertTrue(g[l - 1] < g[l], "layer " + l + " vs " + (l + 1));
        for (VanishingDemo.Run fix : runs.subList(2, runs.size())) {
            double ratio = fix.firstOverLast(0);
            assertTrue(ratio > 1e-2 && ratio < 1e2, fix.name() + ": layer 1 / layer 20 = " + ratio);
            assertTrue(fix.loss()[d.steps - 1] < 0.6 * sigmoid.loss()[d.steps - 1],
                    fix.name() + " learns: " + fix.loss()[d.steps - 1] + " vs sigmoid " + sigmoid.loss()[d.steps - 1]);
        }

        VanishingDemo.ConvPanel conv = d.convPanel(42);
        Section s = d.report(runs, conv, dir);
        assertEquals(5, s.charts().size());
        for (Path png : s.charts()) assertTrue(Files.size(png) > 1000, png.toString());
        assertTrue(s.markdown().contains("| sigmoid + BatchNorm |"), s.markdown());
        assertTrue(s.explanation().contains("shrinking geometrically"), s.explanation());
    }

    @Test
    void aDeepPlainCnnLosesTheGradientTowardsTheInputAndResidualConnectionsKeepIt() {
        VanishingDemo d = new VanishingDemo();
        VanishingDemo.ConvPanel conv = d.convPanel(42);
        assertEquals(d.depth, conv.plain().length, "19 convolutions and the Linear head");
        double plain = VanishingDemo.ConvPanel.firstOverLast(conv.plain()), residual = VanishingDemo.ConvPanel.firstOverLast(conv.residual());
        // about 1e-9 with seed 42: each plain layer passes on roughly a third of the gradient it gets
        assertTrue(plain < 1e-5, "plain CNN, layer 1 / layer 20: " + plain);
        // about 0.2: the shortcuts carry the gradient past every convolution
        assertTrue(residual > 0.05, "residual CNN, layer 1 / layer 20: " + residual);
    }
}
