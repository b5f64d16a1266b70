package dev.descent.nn;

import static dev.descent.nn.ModuleChecks.passesGradCheck;
import static dev.descent.nn.Fixtures.assertClose;
import static dev.descent.nn.Fixtures.tensor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.descent.core.GradCheck;
import dev.descent.core.Rng;
import dev.descent.core.Tape;
import dev.descent.core.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Residual blocks and the recurrent layers: names, values, gradients, PyTorch agreement and bad input. */
class RecurrentAndResidualTest {

    @Test
    void identityResidualAddsTheInput() {
        Tensor x = Tensor.uniform(new Rng(1), -1, 1, 3, 4);
        Linear body = new Linear(4, 4, new Rng(2));
        assertArrayEquals(body.forward(x).add(x).toArray(), new Residual(body).forward(x).toArray());
        passesGradCheck(new Residual(new Sequential(new Linear(4, 4, new Rng(3)), new Tanh())), x);
    }

    @Test
    void projectionResidualAddsTheProjectedInput() {
        Residual r = new Residual(new Linear(3, 2, new Rng(1)), new Linear(3, 2, false, new Rng(2)));
        assertEquals(List.of("body.weight", "body.bias", "shortcut.weight"), List.copyOf(r.namedParameters().keySet()));
        passesGradCheck(r, Tensor.uniform(new Rng(3), -1, 1, 2, 3));
    }

    @Test
    void postActivationBlockHasResNetsLayoutAndPassesGradCheck() {
        ResidualBlock block = ResidualBlock.postActivation(3, 4, new Rng(1));
        assertEquals(List.of("body.0.weight", "body.1.weight", "body.1.bias", "body.3.weight", "body.4.weight", "body.4.bias",
                "shortcut.weight"), List.copyOf(block.namedParameters().keySet()));
        Tensor y = block.forward(Tensor.uniform(new Rng(2), -1, 1, 5, 3));
        for (double v : y.toArray()) assertTrue(v >= 0, "ReLU after the sum");
        passesGradCheck(block, Tensor.uniform(new Rng(3), -1, 1, 4, 3));
    }

    @Test
    void preActivationBlockKeepsAnIdentityPathAndPassesGradCheck() {
        ResidualBlock block = ResidualBlock.preActivation(3, 3, new Rng(1));
        assertEquals(List.of("body.0.weight", "body.0.bias", "body.2.weight", "body.3.weight", "body.3.bias", "body.5.weight",
                "body.5.bias"), List.copyOf(block.namedParameters().keySet()));
        // With the last Linear zeroed the body outputs nothing and the block is exactly the identity.
        Tensor last = block.namedParameters().get("body.5.weight");
        last.fill(0);
        block.namedParameters().get("body.5.bias").fill(0);
        Tensor x = Tensor.uniform(new Rng(2), -1, 1, 4, 3);
        assertArrayEquals(x.toArray(), block.forward(x).toArray());
        last.copyFrom(Tensor.uniform(new Rng(4), -1, 1, 3, 3));
        passesGradCheck(block, Tensor.uniform(new Rng(3), -1, 1, 4, 3));
    }

    @Test
    void rnnCellIsOneTanhStepAndPassesGradCheck() {
        RNNCell cell = new RNNCell(3, 2, new Rng(1));
        assertEquals(List.of("weight_ih", "weight_hh", "bias_ih", "bias_hh"), List.copyOf(cell.namedParameters().keySet()));
        Map<String, Tensor> p = cell.namedParameters();
        Tensor x = Tensor.uniform(new Rng(2), -1, 1, 4, 3);
        Tensor h = Tensor.uniform(new Rng(3), -1, 1, 4, 2);
        Tensor expected = x.matmul(p.get("weight_ih").t()).add(p.get("bias_ih")).add(h.matmul(p.get("weight_hh").t())).add(p.get("bias_hh")).tanh();
        assertArrayEquals(expected.toArray(), cell.forward(x, h).toArray(), 1e-15);
        passesGradCheck(cell, x);
        GradCheck.Report wrtHidden = GradCheck.check(in -> cell.forward(x, in[0]), h);
        assertTrue(wrtHidden.passed(), wrtHidden::toString);
        double k = 1 / Math.sqrt(2);
        for (Tensor t : cell.parameters()) for (double v : t.toArray()) assertTrue(Math.abs(v) < k, "U(-1/sqrt(hidden), 1/sqrt(hidden))");
    }

    @Test
    void rnnUnrollsTheCellOverTimeAndPassesGradCheck() {
        RNN rnn = new RNN(2, 3, new Rng(1));
        assertEquals(List.of("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"), List.copyOf(rnn.namedParameters().keySet()));
        Tensor x = Tensor.uniform(new Rng(2), -1, 1, 4, 2, 2);
        assertArrayEquals(new int[] {4, 2, 3}, rnn.forward(x).shape());
        passesGradCheck(rnn, x);
        Tensor h0 = Tensor.uniform(new Rng(3), -1, 1, 1, 2, 3);
        GradCheck.Report wrtH0 = GradCheck.check(in -> rnn.forward(x, in[0]).output(), h0);
        assertTrue(wrtH0.passed(), wrtH0::toString);
    }

    @Test
    void rnnMatchesPyTorch() {
        for (JsonElement e : Fixtures.load("torch_rnn").getAsJsonArray()) {
            JsonObject c = e.getAsJsonObject();
            RNN rnn = new RNN(c.get("input_size").getAsInt(), c.get("hidden_size").getAsInt(), new Rng(0));
            rnn.loadStateDict(Fixtures.tensors(c.getAsJsonObject("params")), true);
            Tensor x = tensor(c, "input").requiresGrad(true);
            Tensor h0 = tensor(c, "h0").requiresGrad(true);
            Tensor out;
            try (Tape tape = Tape.record()) {
                out = rnn.forward(x, h0.unsqueeze(0)).output();
                tape.backward(out, tensor(c, "w"));
            }
            assertClose("output", tensor(c, "output"), out);
            JsonObject grads = c.getAsJsonObject("grads");
            assertClose("grad input", tensor(grads, "input"), x.grad());
            assertClose("grad h0", tensor(grads, "h0"), h0.grad());
            for (Map.Entry<String, Tensor> p : rnn.namedParameters().entrySet()) {
                assertClose("grad " + p.getKey(), tensor(grads, p.getKey()), p.getValue().grad());
            }
        }
    }

    @Test
    void recurrentLayersNameTheShapeTheyExpected() {
        RNN rnn = new RNN(2, 3, new Rng(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> rnn.forward(Tensor.zeros(4, 2, 5)));
        assertEquals("RNN(2, 3): expected input of shape [L, N, 2] or [L, 2] with L >= 1, got [4, 2, 5]", e.getMessage());
        IllegalArgumentException h = assertThrows(IllegalArgumentException.class, () -> rnn.forward(Tensor.zeros(4, 2, 2), Tensor.zeros(1, 1, 3)));
        assertEquals("RNN(2, 3): expected h0 of shape [1, 2, 3], got [1, 1, 3]", h.getMessage());
        RNNCell cell = new RNNCell(2, 3, new Rng(1));
        IllegalArgumentException c = assertThrows(IllegalArgumentException.class, () -> cell.forward(Tensor.zeros(4, 3)));
        assertEquals("RNNCell(2, 3): expected input of shape [N, 2] or [2], got [4, 3]", c.getMessage());
    }
}
