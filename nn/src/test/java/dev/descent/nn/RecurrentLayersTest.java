package dev.descent.nn;

import static dev.descent.nn.ModuleChecks.passesGradCheck;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.core.GradCheck;
import dev.descent.core.Rng;
import dev.descent.core.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The gated cells and the multi-layer recurrent modules: PyTorch's parameter names and shapes, gradients against
 * finite differences (inputs, initial states and parameters), the layouts, dropout between layers, and bad input.
 * Agreement with PyTorch's values is in {@link RecurrentReferenceTest}.
 */
class RecurrentLayersTest {
    private static final RNNBase.Options TWO_LAYERS = RNNBase.DEFAULTS.withNumLayers(2);

    // ---------------------------------------------------------------- names, shapes, initialisation

    @Test
    void lstmHasPyTorchsParameterNamesAndLayoutsPerLayerAndDirection() {
        LSTM lstm = new LSTM(3, 4, TWO_LAYERS.withBidirectional(true), new Rng(1));
        Map<String, Tensor> p = lstm.namedParameters();
        assertEquals(List.of("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0",
                "weight_ih_l0_reverse", "weight_hh_l0_reverse", "bias_ih_l0_reverse", "bias_hh_l0_reverse",
                "weight_ih_l1", "weight_hh_l1", "bias_ih_l1", "bias_hh_l1",
                "weight_ih_l1_reverse", "weight_hh_l1_reverse", "bias_ih_l1_reverse", "bias_hh_l1_reverse"), List.copyOf(p.keySet()));
        assertArrayEquals(new int[] {16, 3}, p.get("weight_ih_l0").shape());
        assertArrayEquals(new int[] {16, 4}, p.get("weight_hh_l0_reverse").shape());
        assertArrayEquals(new int[] {16, 8}, p.get("weight_ih_l1").shape(), "layer 1 reads both directions");
        assertArrayEquals(new int[] {16}, p.get("bias_hh_l1_reverse").shape());
        assertEquals(List.of("weight_ih_l0", "weight_hh_l0"), List.copyOf(new GRU(3, 4, RNNBase.DEFAULTS.withBias(false), new Rng(1))
                .namedParameters().keySet()));
        assertArrayEquals(new int[] {12, 3}, new GRU(3, 4, new Rng(1)).namedParameters().get("weight_ih_l0").shape());
        assertArrayEquals(new int[] {16, 4}, new LSTMCell(3, 4, new Rng(1)).namedParameters().get("weight_hh").shape());
        assertArrayEquals(new int[] {12}, new GRUCell(3, 4, new Rng(1)).namedParameters().get("bias_ih").shape());
    }

    @Test
    void aProjectedLstmAddsWeightHrAfterTheBiasesAndNarrowsTheHiddenState() {
        LSTM lstm = new LSTM(3, 5, TWO_LAYERS.withBidirectional(true), 2, new Rng(1));
        Map<String, Tensor> p = lstm.namedParameters();
        assertEquals(List.of("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0", "weight_hr_l0",
                "weight_ih_l0_reverse", "weight_hh_l0_reverse", "bias_ih_l0_reverse", "bias_hh_l0_reverse", "weight_hr_l0_reverse",
                "weight_ih_l1", "weight_hh_l1", "bias_ih_l1", "bias_hh_l1", "weight_hr_l1",
                "weight_ih_l1_reverse", "weight_hh_l1_reverse", "bias_ih_l1_reverse", "bias_hh_l1_reverse", "weight_hr_l1_reverse"),
                List.copyOf(p.keySet()));
        assertArrayEquals(new int[] {20, 3}, p.get("weight_ih_l0").shape());
        assertArrayEquals(new int[] {20, 2}, p.get("weight_hh_l0").shape(), "the recurrent weights read the projected state");
        assertArrayEquals(new int[] {2, 5}, p.get("weight_hr_l0_reverse").shape());
        assertArrayEquals(new int[] {20, 4}, p.get("weight_ih_l1").shape(), "layer 1 reads both directions' projections");
        assertEquals(2, lstm.projSize());
        assertEquals(0, new LSTM(3, 5, new Rng(1)).projSize());
        assertEquals(List.of("weight_ih_l0", "weight_hh_l0", "weight_hr_l0"),
                List.copyOf(new LSTM(3, 5, RNNBase.DEFAULTS.withBias(false), 4, new Rng(1)).namedParameters().keySet()));
        RecurrentOutput out = lstm.forward(Tensor.zeros(7, 3, 3), null, null);
        assertArrayEquals(new int[] {7, 3, 4}, out.output().shape());
        assertArrayEquals(new int[] {4, 3, 2}, out.hN().shape());
        assertArrayEquals(new int[] {4, 3, 5}, out.cN().shape(), "the cell state keeps hiddenSize features");
    }

    @Test
    void aProjectedLstmIsTheCellFollowedByTheProjectionAtEveryStep() {
        LSTM lstm = new LSTM(3, 4, RNNBase.DEFAULTS, 2, new Rng(1));
        Map<String, Tensor> p = lstm.namedParameters();
        Tensor x = Tensor.uniform(new Rng(2), -1, 1, 5, 3, 3);
        Tensor h0 = Tensor.uniform(new Rng(3), -1, 1, 1, 3, 2), c0 = Tensor.uniform(new Rng(4), -1, 1, 1, 3, 4);
        RecurrentOutput out = lstm.forward(x, h0, c0);
        Tensor h = h0.squeeze(0), c = c0.squeeze(0);
        for (int t = 0; t < 5; t++) {
            Tensor gates = x.slice(0, t, t + 1).squeeze(0).matmul(p.get("weight_ih_l0").t()).add(p.get("bias_ih_l0"))
                    .add(h.matmul(p.get("weight_hh_l0").t())).add(p.get("bias_hh_l0"));
            Tensor i = gates.slice(1, 0, 4).sigmoid(), f = gates.slice(1, 4, 8).sigmoid(), g = gates.slice(1, 8, 12).tanh();
            Tensor o = gates.slice(1, 12, 16).sigmoid();
            c = f.mul(c).add(i.mul(g));
            h = o.mul(c.tanh()).matmul(p.get("weight_hr_l0").t());
            assertArrayEquals(h.toArray(), out.output().slice(0, t, t + 1).toArray(), 1e-15, "step " + t);
        }
        assertArrayEquals(h.toArray(), out.hN().toArray(), 1e-15);
        assertArrayEquals(c.toArray(), out.cN().toArray(), 1e-15);
    }

    @Test
    void everyParameterStartsUniformWithinOneOverRootHidden() {
        double k = 1 / Math.sqrt(25);
        for (Module m : List.of(new LSTM(3, 25, TWO_LAYERS, new Rng(1)), new LSTM(3, 25, TWO_LAYERS, 7, new Rng(4)), new GRUCell(3, 25, new Rng(2)), new RNN(3, 25, new Rng(3)))) {
            double lo = 1, hi = -1;
            for (Tensor t : m.parameters()) {
                for (double v : t.toArray()) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
            assertTrue(lo >= -k && hi <= k, m + ": U(-1/sqrt(hidden), 1/sqrt(hidden)), got [" + lo + ", " + hi + "]");
            assertTrue(lo < -0.9 * k && hi > 0.9 * k, m + ": fills the interval, got [" + lo + ", " + hi + "]");
        }
    }

    @Test
    void printsLikePyTorchWithOnlyTheOptionsThatDifferFromTheDefaults() {
        assertEquals("LSTM(3, 4)", new LSTM(3, 4, new Rng(1)).toString());
        assertEquals("LSTM(3, 4, num_layers=2, batch_first=true, dropout=0.5)",
                new LSTM(3, 4, TWO_LAYERS.withBatchFirst(true).withDropout(0.5), new Rng(1)).toString());
        assertEquals("LSTM(3, 4, proj_size=2, num_layers=2)", new LSTM(3, 4, TWO_LAYERS, 2, new Rng(1)).toString());
        assertEquals("GRU(3, 4, bias=false, bidirectional=true)",
                new GRU(3, 4, RNNBase.DEFAULTS.withBias(false).withBidirectional(true), new Rng(1)).toString());
        assertEquals("RNN(2, 3, nonlinearity=relu)", new RNN(2, 3, RNNCell.Nonlinearity.RELU, RNNBase.DEFAULTS, new Rng(1)).toString());
        assertEquals("RNNCell(2, 3, bias=false, nonlinearity=relu)",
                new RNNCell(2, 3, false, RNNCell.Nonlinearity.RELU, new Rng(1)).toString());
    }

    // ---------------------------------------------------------------- equations and layouts

    @Test
    void lstmCellFollowsTheGateEquationsInPyTorchsOrder() {
        LSTMCell cell = new LSTMCell(3, 2, new Rng(1));
        Map<String, Tensor> p = cell.namedParameters();
        Tensor x = Tensor.uniform(new Rng(2), -1, 1, 4, 3), h = Tensor.uniform(new Rng(3), -1, 1, 4, 2), c = Tensor.uniform(new Rng(4), -1, 1, 4, 2);
        Tensor gates = x.matmul(p.get("weight_ih").t()).add(p.get("bias_ih")).add(h.matmul(p.get("weight_hh").t())).add(p.get("bias_hh"));
        Tensor i = gates.slice(1, 0, 2).sigmoid(), f = gates.slice(1, 2, 4).sigmoid(), g = gates.slice(1, 4, 6).tanh(), o = gates.slice(1, 6, 8).sigmoid();
        Tensor c1 = f.mul(c).add(i.mul(g));
        RecurrentState s = cell.forward(x, h, c);
        assertArrayEquals(c1.toArray(), s.c().toArray(), 1e-15);
        assertArrayEquals(o.mul(c1.tanh()).toArray(), s.h().toArray(), 1e-15);
    }

    @Test
    void gruCellResetsTheRecurrentProjectionBiasIncluded() {
        GRUCell cell = new GRUCell(3, 2, new Rng(1));
        Map<String, Tensor> p = cell.namedParameters();
        Tensor x = Tensor.uniform(new Rng(2), -1, 1, 4, 3), h = Tensor.uniform(new Rng(3), -1, 1, 4, 2);
        Tensor gi = x.matmul(p.get("weight_ih").t()).add(p.get("bias_ih")), gh = h.matmul(p.get("weight_hh").t()).add(p.get("bias_hh"));
        Tensor r = gi.slice(1, 0, 2).add(gh.slice(1, 0, 2)).sigmoid(), z = gi.slice(1, 2, 4).add(gh.slice(1, 2, 4)).sigmoid();
        Tensor n = gi.slice(1, 4, 6).add(r.mul(gh.slice(1, 4, 6))).tanh();
        Tensor expected = z.neg().add(1).mul(n).add(z.mul(h));
        assertArrayEquals(expected.toArray(), cell.forward(x, h).toArray(), 1e-15);
    }

    @Test
    void aTwoLayerLstmIsItsCellsStackedAndUnrolled() {
        LSTM lstm = new LSTM(3, 2, TWO_LAYERS, new Rng(1));
        LSTMCell[] cells = {new LSTMCell(3, 2, new Rng(0)), new LSTMCell(2, 2, new Rng(0))};
        for (int l = 0; l < 2; l++) {
            for (String k : List.of("weight_ih", "weight_hh", "bias_ih", "bias_hh")) {
                cells[l].namedParameters().get(k).copyFrom(lstm.namedParameters().get(k + "_l" + l));
            }
        }
        Tensor x = Tensor.uniform(new Rng(2), -1, 1, 5, 3, 3);
        Tensor h0 = Tensor.uniform(new Rng(3), -1, 1, 2, 3, 2), c0 = Tensor.uniform(new Rng(4), -1, 1, 2, 3, 2);
        RecurrentOutput out = lstm.forward(x, h0, c0);
        RecurrentState[] s = {new RecurrentState(h0.slice(0, 0, 1).squeeze(0), c0.slice(0, 0, 1).squeeze(0)),
                new RecurrentState(h0.slice(0, 1, 2).squeeze(0), c0.slice(0, 1, 2).squeeze(0))};
        for (int t = 0; t < 5; t++) {
            s[0] = cells[0].forward(x.slice(0, t, t + 1).squeeze(0), s[0].h(), s[0].c());
            s[1] = cells[1].forward(s[0].h(), s[1].h(), s[1].c());
            assertArrayEquals(s[1].h().toArray(), out.output().slice(0, t, t + 1).toArray(), 1e-15, "step " + t);
        }
        assertArrayEquals(Tensor.stack(0, s[0].h(), s[1].h()).toArray(), out.hN().toArray(), 1e-15);
        assertArrayEquals(Tensor.stack(0, s[0].c(), s[1].c()).toArray(), out.cN().toArray(), 1e-15);
    }

    @Test
    void batchFirstAndUnbatchedInputsAreTheSameComputationLaidOutDifferently() {
        GRU timeMajor = new GRU(3, 4, TWO_LAYERS.withBidirectional(true), new Rng(1));
        GRU batchFirst = new GRU(3, 4, TWO_LAYERS.withBidirectional(true).withBatchFirst(true), new Rng(9));
        batchFirst.loadStateDict(timeMajor.stateDict(), true);
        Tensor x = Tensor.uniform(new Rng(2), -1, 1, 5, 2, 3), h0 = Tensor.uniform(new Rng(3), -1, 1, 4, 2, 4);
        RecurrentOutput a = timeMajor.forward(x, h0), b = batchFirst.forward(x.transpose(0, 1), h0);
        assertArrayEquals(new int[] {5, 2, 8}, a.output().shape());
        assertArrayEquals(a.output().transpose(0, 1).toArray(), b.output().toArray(), 0);
        assertArrayEquals(a.hN().toArray(), b.hN().toArray(), 0, "h_n is never batch-first");
        assertNull(a.cN());
        // Unbatched: the sequence of batch element 1 alone.
        RecurrentOutput one = timeMajor.forward(x.slice(1, 1, 2).squeeze(1), h0.slice(1, 1, 2).squeeze(1));
        assertArrayEquals(new int[] {5, 8}, one.output().shape());
        assertArrayEquals(a.output().slice(1, 1, 2).toArray(), one.output().toArray(), 1e-15);
        assertArrayEquals(a.hN().slice(1, 1, 2).toArray(), one.hN().toArray(), 1e-15);
    }

    @Test
    void theReverseDirectionReadsTheSequenceBackwards() {
        RNN bi = new RNN(2, 3, RNNCell.Nonlinearity.TANH, RNNBase.DEFAULTS.withBidirectional(true), new Rng(1));
        RNN backward = new RNN(2, 3, new Rng(2));
        for (String k : List.of("weight_ih", "weight_hh", "bias_ih", "bias_hh")) {
            backward.namedParameters().get(k + "_l0").copyFrom(bi.namedParameters().get(k + "_l0_reverse"));
        }
        Tensor x = Tensor.uniform(new Rng(3), -1, 1, 4, 2, 2);
        Tensor reversed = Tensor.concat(0, x.slice(0, 3, 4), x.slice(0, 2, 3), x.slice(0, 1, 2), x.slice(0, 0, 1));
        Tensor expected = backward.forward(reversed);
        Tensor out = bi.forward(x);
        for (int t = 0; t < 4; t++) {
            assertArrayEquals(expected.slice(0, 3 - t, 4 - t).toArray(), out.slice(0, t, t + 1).slice(2, 3, 6).toArray(), 1e-15, "step " + t);
        }
    }

    // ---------------------------------------------------------------- gradients

    @Test
    void cellsPassGradCheckForInputStatesAndParameters() {
        Tensor x = Tensor.uniform(new Rng(1), -1, 1, 2, 3), h = Tensor.uniform(new Rng(2), -1, 1, 2, 4), c = Tensor.uniform(new Rng(3), -1, 1, 2, 4);
        LSTMCell lstm = new LSTMCell(3, 4, new Rng(4));
        passesGradCheck(lstm, in -> both(lstm.forward(in[0], in[1], in[2])), x, h, c);
        GRUCell gru = new GRUCell(3, 4, new Rng(5));
        passesGradCheck(gru, in -> gru.forward(in[0], in[1]), x, h);
        RNNCell relu = new RNNCell(3, 4, true, RNNCell.Nonlinearity.RELU, new Rng(6));
        passesGradCheck(relu, in -> relu.forward(in[0], in[1]), x, h);
        LSTMCell noBias = new LSTMCell(3, 4, false, new Rng(7));
        passesGradCheck(noBias, in -> both(noBias.forward(in[0], in[1], in[2])), x, h, c);
    }

    @Test
    void cellsHaveCorrectSecondDerivatives() {
        Tensor x = Tensor.uniform(new Rng(1), -1, 1, 2, 2), h = Tensor.uniform(new Rng(2), -1, 1, 2, 3), c = Tensor.uniform(new Rng(3), -1, 1, 2, 3);
        LSTMCell lstm = new LSTMCell(2, 3, new Rng(4));
        GradCheck.Report l = GradCheck.gradGradCheck(in -> both(lstm.forward(in[0], in[1], in[2])), x, h, c);
        assertTrue(l.passed(), l::toString);
        GRUCell gru = new GRUCell(2, 3, new Rng(5));
        GradCheck.Report g = GradCheck.gradGradCheck(in -> gru.forward(in[0], in[1]), x, h);
        assertTrue(g.passed(), g::toString);
    }

    @Test
    void multiLayerModulesPassGradCheckForInputInitialStatesAndParameters() {
        Tensor x = Tensor.uniform(new Rng(1), -1, 1, 2, 3, 2); // batch-first [N=2, L=3, 2]
        LSTM lstm = new LSTM(2, 3, TWO_LAYERS.withBatchFirst(true), new Rng(2));
        Tensor h0 = Tensor.uniform(new Rng(3), -1, 1, 2, 2, 3), c0 = Tensor.uniform(new Rng(4), -1, 1, 2, 2, 3);
        passesGradCheck(lstm, in -> all(lstm.forward(in[0], in[1], in[2])), x, h0, c0);
        GRU gru = new GRU(2, 3, RNNBase.DEFAULTS.withBidirectional(true), new Rng(5));
        Tensor xt = x.transpose(0, 1), h0b = Tensor.uniform(new Rng(6), -1, 1, 2, 2, 3);
        passesGradCheck(gru, in -> all(gru.forward(in[0], in[1])), xt, h0b);
        RNN relu = new RNN(2, 3, RNNCell.Nonlinearity.RELU, TWO_LAYERS, new Rng(7));
        passesGradCheck(relu, in -> all(relu.forward(in[0], in[1])), xt, h0);
    }

    @Test
    void aProjectedLstmPassesGradCheckForInputInitialStatesAndParametersWeightHrIncluded() {
        Tensor x = Tensor.uniform(new Rng(1), -1, 1, 2, 3, 2); // batch-first [N=2, L=3, 2]
        LSTM lstm = new LSTM(2, 3, TWO_LAYERS.withBatchFirst(true).withBidirectional(true), 2, new Rng(2));
        Tensor h0 = Tensor.uniform(new Rng(3), -1, 1, 4, 2, 2), c0 = Tensor.uniform(new Rng(4), -1, 1, 4, 2, 3);
        passesGradCheck(lstm, in -> all(lstm.forward(in[0], in[1], in[2])), x, h0, c0);
        LSTM unbatched = new LSTM(2, 4, RNNBase.DEFAULTS.withBias(false), 1, new Rng(5));
        passesGradCheck(unbatched, in -> all(unbatched.forward(in[0], in[1], in[2])), x.slice(0, 0, 1).squeeze(0),
                Tensor.uniform(new Rng(6), -1, 1, 1, 1), Tensor.uniform(new Rng(7), -1, 1, 1, 4));
    }

    private static Tensor both(RecurrentState s) {
        return Tensor.concat(0, s.h().reshape(-1), s.c().reshape(-1));
    }

    private static Tensor all(RecurrentOutput r) {
        Tensor hc = Tensor.concat(0, r.output().reshape(-1), r.hN().reshape(-1));
        return r.cN() == null ? hc : Tensor.concat(0, hc, r.cN().reshape(-1));
    }

    // ---------------------------------------------------------------- dropout between layers

    @Test
    void dropoutActsBetweenLayersInTrainingOnly() {
        Tensor x1 = Tensor.uniform(new Rng(1), -1, 1, 4, 2, 3), x2 = Tensor.uniform(new Rng(2), -1, 1, 4, 2, 3);
        LSTM dropAll = new LSTM(3, 4, TWO_LAYERS.withDropout(1), new Rng(3));
        // p = 1 zeroes the first layer's outputs, so the second layer sees zeros whatever the input ...
        Tensor y1 = dropAll.forward(x1), y2 = dropAll.forward(x2);
        assertArrayEquals(y1.toArray(), y2.toArray(), 0);
        // ... but its own output is not dropped (nonzero: its biases drive it).
        for (double v : y1.toArray()) assertNotEquals(0.0, v);
        // In evaluation mode dropout is off: the same as a copy without dropout.
        LSTM plain = new LSTM(3, 4, TWO_LAYERS, new Rng(4));
        plain.loadStateDict(dropAll.stateDict(), true);
        dropAll.eval();
        assertArrayEquals(plain.forward(x1).toArray(), dropAll.forward(x1).toArray(), 0);
        // With one layer there is no layer after which to drop.
        LSTM single = new LSTM(3, 4, RNNBase.DEFAULTS.withDropout(1), new Rng(5));
        Tensor train = single.forward(x1);
        assertArrayEquals(single.eval().forward(x1).toArray(), train.toArray(), 0);
    }

    @Test
    void theReadmeExampleHasTheShapesItClaims() {
        Rng rng = new Rng(42);
        LSTM lstm = new LSTM(8, 32, RNNBase.DEFAULTS.withNumLayers(2).withBatchFirst(true).withDropout(0.1), rng);
        Tensor seq = Tensor.normal(rng, 0, 1, 4, 50, 8);
        RecurrentOutput out = lstm.forward(seq, null, null);
        assertArrayEquals(new int[] {4, 50, 32}, out.output().shape());
        assertArrayEquals(new int[] {2, 4, 32}, out.hN().shape());
        assertArrayEquals(new int[] {2, 4, 32}, out.cN().shape());
        assertArrayEquals(new int[] {50, 4, 64}, new GRU(8, 32, RNNBase.DEFAULTS.withBidirectional(true), rng).forward(seq.transpose(0, 1)).shape());
        LSTM proj = new LSTM(8, 32, RNNBase.DEFAULTS.withNumLayers(2), 16, rng);
        RecurrentOutput p = proj.forward(seq.transpose(0, 1), null, null);
        assertArrayEquals(new int[] {50, 4, 16}, p.output().shape());
        assertArrayEquals(new int[] {2, 4, 16}, p.hN().shape());
        assertArrayEquals(new int[] {2, 4, 32}, p.cN().shape());
    }

    // ---------------------------------------------------------------- bad input

    @Test
    void aHiddenSizeMismatchInTheInitialStatesNamesTheLayerWhatItExpectedAndWhatItGot() {
        LSTM lstm = new LSTM(3, 4, TWO_LAYERS, new Rng(1));
        Tensor x = Tensor.zeros(5, 2, 3);
        IllegalArgumentException h = assertThrows(IllegalArgumentException.class, () -> lstm.forward(x, Tensor.zeros(2, 2, 3), null));
        assertEquals("LSTM(3, 4, num_layers=2): expected h0 of shape [2, 2, 4], got [2, 2, 3]", h.getMessage());
        IllegalArgumentException c = assertThrows(IllegalArgumentException.class, () -> lstm.forward(x, Tensor.zeros(2, 2, 4), Tensor.zeros(1, 2, 4)));
        assertEquals("LSTM(3, 4, num_layers=2): expected c0 of shape [2, 2, 4], got [1, 2, 4]", c.getMessage());
        LSTMCell cell = new LSTMCell(3, 4, new Rng(1));
        IllegalArgumentException cc = assertThrows(IllegalArgumentException.class,
                () -> cell.forward(Tensor.zeros(2, 3), Tensor.zeros(2, 4), Tensor.zeros(2, 5)));
        assertEquals("LSTMCell(3, 4): expected cell state of shape [2, 4], got [2, 5]", cc.getMessage());
        LSTM proj = new LSTM(3, 4, TWO_LAYERS, 2, new Rng(1));
        IllegalArgumentException ph = assertThrows(IllegalArgumentException.class, () -> proj.forward(x, Tensor.zeros(2, 2, 4), null));
        assertEquals("LSTM(3, 4, proj_size=2, num_layers=2): expected h0 of shape [2, 2, 2], got [2, 2, 4]", ph.getMessage(),
                "with projections h0 has projSize features, not hiddenSize");
        IllegalArgumentException pc = assertThrows(IllegalArgumentException.class,
                () -> proj.forward(x, Tensor.zeros(2, 2, 2), Tensor.zeros(2, 2, 2)));
        assertEquals("LSTM(3, 4, proj_size=2, num_layers=2): expected c0 of shape [2, 2, 4], got [2, 2, 2]", pc.getMessage());
        GRU gru = new GRU(3, 4, RNNBase.DEFAULTS.withBidirectional(true), new Rng(1));
        IllegalArgumentException g = assertThrows(IllegalArgumentException.class, () -> gru.forward(Tensor.zeros(5, 3), Tensor.zeros(1, 4)));
        assertEquals("GRU(3, 4, bidirectional=true): expected h0 of shape [2, 4], got [1, 4]", g.getMessage());
    }

    @Test
    void aWrongInputNamesTheExpectedLayout() {
        LSTM lstm = new LSTM(3, 4, new Rng(1));
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class, () -> lstm.forward(Tensor.zeros(5, 2, 4)));
        assertEquals("LSTM(3, 4): expected input of shape [L, N, 3] or [L, 3] with L >= 1, got [5, 2, 4]", size.getMessage());
        LSTM bf = new LSTM(3, 4, RNNBase.DEFAULTS.withBatchFirst(true), new Rng(1));
        IllegalArgumentException rank = assertThrows(IllegalArgumentException.class, () -> bf.forward(Tensor.zeros(1, 5, 2, 3)));
        assertEquals("LSTM(3, 4, batch_first=true): expected input of shape [N, L, 3] or [L, 3] with L >= 1, got [1, 5, 2, 3]", rank.getMessage());
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> bf.forward(Tensor.zeros(2, 0, 3)));
        assertTrue(empty.getMessage().endsWith("got [2, 0, 3]"), empty.getMessage());
        IllegalArgumentException cell = assertThrows(IllegalArgumentException.class, () -> new GRUCell(3, 4, new Rng(1)).forward(Tensor.zeros(2, 2)));
        assertEquals("GRUCell(3, 4): expected input of shape [N, 3] or [3], got [2, 2]", cell.getMessage());
    }

    @Test
    void badConstructorArgumentsAreRefusedWithTheirValues() {
        assertEquals("LSTM: expected positive sizes, got inputSize=3, hiddenSize=0",
                assertThrows(IllegalArgumentException.class, () -> new LSTM(3, 0, new Rng(1))).getMessage());
        assertEquals("LSTM: projSize has to be smaller than hiddenSize, got projSize=4, hiddenSize=4",
                assertThrows(IllegalArgumentException.class, () -> new LSTM(3, 4, RNNBase.DEFAULTS, 4, new Rng(1))).getMessage());
        assertEquals("LSTM: projSize has to be smaller than hiddenSize, got projSize=9, hiddenSize=4",
                assertThrows(IllegalArgumentException.class, () -> new LSTM(3, 4, RNNBase.DEFAULTS, 9, new Rng(1))).getMessage());
        assertEquals("LSTM: projSize should be a positive integer or zero to disable projections, got -1",
                assertThrows(IllegalArgumentException.class, () -> new LSTM(3, 4, RNNBase.DEFAULTS, -1, new Rng(1))).getMessage());
        assertEquals("recurrent layer: expected numLayers >= 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> RNNBase.DEFAULTS.withNumLayers(0)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RNNBase.DEFAULTS.withDropout(1.5)).getMessage().endsWith("got 1.5"));
        assertEquals("RNNCell: nonlinearity must be tanh or relu, got null",
                assertThrows(IllegalArgumentException.class, () -> new RNNCell(2, 3, true, null, new Rng(1))).getMessage());
    }
}
