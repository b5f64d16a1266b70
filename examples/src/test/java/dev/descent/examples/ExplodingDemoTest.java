package dev.descent.examples;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExplodingDemoTest {

    static void assertFiniteAndFalling(ExplodingDemo.Run r) {
        for (double l : r.loss()) assertTrue(Double.isFinite(l), r.config().name() + ": loss " + l);
        assertTrue(r.finalLoss() < r.loss()[0], r.config().name() + ": " + r.loss()[0] + " -> " + r.finalLoss());
    }

    @Test
    void gradientsGrowPerLayerAndPerTimeStepAndTheFixesKeepTheLossFinite(@TempDir Path dir) throws Exception {
        ExplodingDemo d = new ExplodingDemo();
        d.steps = 30;
        d.rnnSteps = 30;
        d.seqLen = 40;
        ExplodingDemo.Results res = d.runAll(42, Progress.silent());
        List<ExplodingDemo.Run> deep = res.deep(), rnn = res.rnn();

        ExplodingDemo.Run bad = deep.get(0);
        double[] g = bad.signal();
        assertTrue(g[0] > 1e3 * g[g.length - 1], "deep net: layer 1 gets " + g[0] + ", the last layer " + g[g.length - 1]);
        assertTrue(bad.divergedAt() >= 0 || bad.maxLoss() > 1e3 * bad.loss()[0], "the badly initialised net blows up: " + bad.maxLoss());
        for (ExplodingDemo.Run fix : deep.subList(1, deep.size())) assertFiniteAndFalling(fix);
        for (ExplodingDemo.Run fix : deep.subList(3, deep.size())) {
            double[] f = fix.signal();
            assertTrue(f[0] < 100 * f[f.length - 1], fix.config().name() + ": " + f[0] + " vs " + f[f.length - 1]);
        }

        ExplodingDemo.Run rnnBad = rnn.get(0);
        double[] h = rnnBad.signal();
        assertTrue(h[0] > 100 * h[h.length - 1], "RNN: step 1 gets " + h[0] + ", the last step " + h[h.length - 1]);
        assertTrue(rnnBad.maxLoss() > 100 * rnnBad.loss()[0], "the RNN's loss diverges: " + rnnBad.maxLoss());
        for (ExplodingDemo.Run fix : rnn.subList(1, rnn.size())) {
            for (double l : fix.loss()) assertTrue(Double.isFinite(l) && l < 10 * fix.loss()[0], fix.config().name() + ": loss " + l);
        }
        assertFiniteAndFalling(rnn.get(1)); // clipped by norm
        assertFiniteAndFalling(rnn.get(2)); // clipped by value

        Section s = d.report(res, dir);
        assertEquals(4, s.charts().size());
        for (Path png : s.charts()) assertTrue(Files.size(png) > 1000, png.toString());
        assertTrue(s.markdown().contains("| W_hh gain 2, clip norm 1 |"), s.markdown());
    }
}
