package dev.descent.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.core.Rng;
import dev.descent.core.Tape;
import dev.descent.core.Tensor;
import org.junit.jupiter.api.Test;

/** The usage example of the README: a small MLP fitted by plain gradient descent. */
class ReadmeExampleTest {

    @Test
    void aTwoLayerNetworkFitsANoisyParabolaByGradientDescent() {
        Rng rng = new Rng(42);
        Tensor x = Tensor.uniform(rng, -3, 3, 64, 1);
        Tensor y = x.square().mul(0.5).sub(1).add(Tensor.normal(rng, 0, 0.05, 64, 1)); // y = x²/2 − 1 + noise

        Module model = new Sequential(new Linear(1, 32, rng), new ReLU(), new Linear(32, 1, rng));
        double lr = 0.05;
        double first = 0, last = 0;
        for (int step = 0; step < 500; step++) {
            model.zeroGrad();
            Tensor loss;
            try (Tape tape = Tape.record()) {
                loss = model.forward(x).sub(y).square().mean();
                tape.backward(loss);
            }
            for (Tensor p : model.parameters()) p.addInPlace(-lr, p.grad());
            if (step == 0) first = loss.item();
            last = loss.item();
        }
        assertTrue(last < first / 50, "loss fell from " + first + " to " + last + ", expected at least a factor 50");
    }
}
