package dev.descent.nn;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.core.Rng;
import dev.descent.core.Tape;
import dev.descent.core.Tensor;
import org.junit.jupiter.api.Test;

/** Anomaly mode names the user's line, not a library frame such as Linear.forward, and the module path of the layer. */
class AnomalyLocationTest {

    /** A user's network: a 16-layer stack held as {@code layers}, the last of which is broken. */
    static final class Net extends Module {
        final Sequential layers;

        Net(Rng rng) {
            Module[] ms = new Module[16];
            for (int i = 0; i < ms.length; i++) ms[i] = i % 2 == 0 ? new Linear(3, 3, rng) : new Tanh();
            ms[15] = new Linear(3, 3, rng);
            layers = registerModule("layers", new Sequential(ms));
        }

        @Override
        public Tensor forward(Tensor input) {
            return forwardChild(layers, input);
        }
    }

    @Test
    void aNaNInsideANestedLayerNamesTheUsersLineAndTheModulePath() {
        Net net = new Net(new Rng(7));
        Linear last = (Linear) net.layers.get(15);
        last.weight().copyFrom(last.weight().mul(Double.POSITIVE_INFINITY));
        Tensor x = Tensor.vector(1, 2, 3).reshape(1, 3);
        try (Tape tape = Tape.record().detectAnomalies()) {
            ArithmeticException e = assertThrows(ArithmeticException.class, () -> net.forward(x));
            String m = e.getMessage();
            assertTrue(m.contains("in layers.15 (Linear)"), m);
            assertTrue(m.contains("AnomalyLocationTest.java:"), "the first frame outside the library is the user's: " + m);
            assertFalse(m.contains("Linear.forward") || m.contains("Sequential.forward"), m);
        }
    }

    @Test
    void aTopLevelSequentialNamesTheIndexOfTheLayer() {
        Sequential model = new Sequential(new Linear(2, 2, new Rng(1)), new ReLU(), new Linear(2, 2, new Rng(2)));
        Linear first = (Linear) model.get(0);
        first.bias().copyFrom(Tensor.vector(Double.NaN, 0));
        try (Tape tape = Tape.record().detectAnomalies()) {
            ArithmeticException e = assertThrows(ArithmeticException.class, () -> model.forward(Tensor.zeros(1, 2)));
            assertTrue(e.getMessage().contains("in 0 (Linear)"), e.getMessage());
        }
    }
}
