package dev.descent.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.core.Rng;
import dev.descent.core.Tape;
import dev.descent.core.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

/** The "Networks" example of the README: a small MLP fitted by plain gradient descent, then its state. */
class ReadmeExampleTest {

    @Test
    void aTwoLayerNetworkFitsANoisyParabolaByGradientDescent() {
        Rng rng = new Rng(42);
        Tensor x = Tensor.uniform(rng, -3, 3, 64, 1);
        Tensor y = x.square().mul(0.5).sub(1).add(Tensor.normal(rng, 0, 0.05, 64, 1)); // y = x²/2 − 1 + noise

        Module model = new Sequential(new Linear(1, 32, rng), new ReLU(), new Linear(32, 1, rng));
        double first = Double.NaN, last = Double.NaN;
        for (int step = 0; step < 500; step++) {
            model.zeroGrad();
            try (Tape tape = Tape.record()) {
                Tensor loss = model.forward(x).sub(y).square().mean();
                tape.backward(loss);
                if (step == 0) first = loss.item();
                last = loss.item();
            }
            for (Tensor p : model.parameters()) p.addInPlace(-0.05, p.grad());      // plain gradient descent
        }
        double start = first, end = last;
        assertTrue(end < start / 50, () -> "loss fell from " + start + " to " + end + ", expected at least a factor 50");

        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias"), List.copyOf(model.namedParameters().keySet()));
        Map<String, Tensor> state = model.stateDict();
        model.loadStateDict(state, true);
        model.eval();
        assertFalse(model.isTraining());
        assertArrayEquals(state.get("2.weight").toArray(), model.namedParameters().get("2.weight").toArray());
    }
}
