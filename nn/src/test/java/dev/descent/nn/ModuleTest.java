package dev.descent.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.core.Rng;
import dev.descent.core.Tape;
import dev.descent.core.Tensor;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

class ModuleTest {

    /** A container holding a Sequential as {@code layers} and a norm as {@code norm}, as a user would write one. */
    static final class Net extends Module {
        Net(Rng rng) {
            registerModule("layers", new Sequential(new Linear(4, 3, rng), new ReLU(), new Linear(3, 2, rng)));
            registerModule("norm", new BatchNorm1d(2));
        }

        @Override
        public Tensor forward(Tensor x) {
            return namedChildren().get("norm").forward(namedChildren().get("layers").forward(x));
        }
    }

    @Test
    void namedParametersAreDottedPathsInRegistrationOrder() {
        Net net = new Net(new Rng(1));
        assertEquals(List.of("layers.0.weight", "layers.0.bias", "layers.2.weight", "layers.2.bias", "norm.weight", "norm.bias"),
                List.copyOf(net.namedParameters().keySet()));
        assertEquals(List.of("norm.running_mean", "norm.running_var", "norm.num_batches_tracked"), List.copyOf(net.namedBuffers().keySet()));
        assertEquals(6, net.parameters().size());
        assertEquals(3, net.buffers().size());
        assertTrue(net.parameters().stream().allMatch(Tensor::requiresGrad));
        assertTrue(net.buffers().stream().noneMatch(Tensor::requiresGrad));
    }

    @Test
    void sequentialNamesChildrenByPosition() {
        Sequential seq = new Sequential(new Linear(2, 2, new Rng(1)), new Tanh(), new Linear(2, 1, false, new Rng(2)));
        assertEquals(List.of("0", "1", "2"), List.copyOf(seq.namedChildren().keySet()));
        assertEquals(List.of("0.weight", "0.bias", "2.weight"), List.copyOf(seq.namedParameters().keySet()));
        assertSame(seq.get(2), seq.namedChildren().get("2"));
        assertEquals(3, seq.size());
    }

    @Test
    void aSharedParameterIsListedOnceUnderItsFirstName() {
        Linear shared = new Linear(2, 2, new Rng(1));
        Sequential seq = new Sequential(shared, new ReLU(), shared);
        assertEquals(List.of("0.weight", "0.bias"), List.copyOf(seq.namedParameters().keySet()));
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias"), List.copyOf(seq.stateDict().keySet()));
    }

    @Test
    void trainAndEvalReachEveryDescendant() {
        Net net = new Net(new Rng(1));
        assertTrue(net.isTraining());
        net.eval();
        assertFalse(net.isTraining());
        Sequential layers = (Sequential) net.namedChildren().get("layers");
        for (int i = 0; i < layers.size(); i++) assertFalse(layers.get(i).isTraining());
        assertFalse(net.namedChildren().get("norm").isTraining());
        net.train();
        assertTrue(layers.get(1).isTraining());
        assertTrue(net.namedChildren().get("norm").isTraining());
    }

    @Test
    void zeroGradZeroesEveryParameterGradient() {
        Net net = new Net(new Rng(1));
        try (Tape tape = Tape.record()) {
            tape.backward(net.forward(Tensor.uniform(new Rng(2), -1, 1, 5, 4)).square().sum());
        }
        assertTrue(net.parameters().stream().allMatch(p -> p.grad() != null));
        net.zeroGrad();
        for (Tensor p : net.parameters()) assertArrayEquals(new double[p.size()], p.grad().toArray());
    }

    @Test
    void stateDictHoldsCopiesOfParametersAndBuffers() {
        Net net = new Net(new Rng(1));
        Map<String, Tensor> state = net.stateDict();
        assertEquals(9, state.size());
        Tensor w = net.namedParameters().get("layers.0.weight");
        assertNotSame(w, state.get("layers.0.weight"));
        assertFalse(state.get("layers.0.weight").requiresGrad());
        double before = state.get("layers.0.weight").get(0, 0);
        w.set(before + 1, 0, 0);
        assertEquals(before, state.get("layers.0.weight").get(0, 0));
    }

    @Test
    void stateDictRoundTripRestoresParametersAndBuffersExactly() {
        Net source = new Net(new Rng(1));
        source.forward(Tensor.uniform(new Rng(5), -1, 1, 8, 4)); // moves the running statistics
        Net target = new Net(new Rng(2));
        Module.LoadResult r = target.loadStateDict(source.stateDict(), true);
        assertTrue(r.missingKeys().isEmpty() && r.unexpectedKeys().isEmpty());
        Map<String, Tensor> a = source.stateDict();
        Map<String, Tensor> b = target.stateDict();
        for (String k : a.keySet()) assertArrayEquals(a.get(k).toArray(), b.get(k).toArray(), k);
        source.eval();
        target.eval();
        Tensor x = Tensor.uniform(new Rng(9), -1, 1, 3, 4);
        assertArrayEquals(source.forward(x).toArray(), target.forward(x).toArray());
    }

    @Test
    void strictLoadListsMissingUnexpectedAndMismatchedKeysAndChangesNothing() {
        Net net = new Net(new Rng(1));
        Map<String, Tensor> before = net.stateDict();
        Map<String, Tensor> state = new LinkedHashMap<>(new Net(new Rng(2)).stateDict());
        state.remove("layers.2.bias");
        state.remove("norm.running_var");
        state.put("layers.3.weight", Tensor.zeros(1));
        state.put("layers.0.weight", Tensor.zeros(4, 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net.loadStateDict(state, true));
        assertEquals("Error(s) in loading state_dict for Net:\n"
                + "\tMissing key(s) in state_dict: \"layers.2.bias\", \"norm.running_var\".\n"
                + "\tUnexpected key(s) in state_dict: \"layers.3.weight\".\n"
                + "\tsize mismatch for layers.0.weight: copying a tensor of shape [4, 3], the shape in the current model is [3, 4]",
                e.getMessage());
        Map<String, Tensor> after = net.stateDict();
        for (String k : before.keySet()) assertArrayEquals(before.get(k).toArray(), after.get(k).toArray(), k);
    }

    @Test
    void nonStrictLoadReportsKeysButStillRejectsShapeMismatches() {
        Net net = new Net(new Rng(1));
        Map<String, Tensor> state = new LinkedHashMap<>(new Net(new Rng(2)).stateDict());
        state.remove("norm.bias");
        state.put("extra", Tensor.scalar(1));
        Module.LoadResult r = net.loadStateDict(state, false);
        assertEquals(List.of("norm.bias"), r.missingKeys());
        assertEquals(List.of("extra"), r.unexpectedKeys());
        assertArrayEquals(state.get("layers.0.weight").toArray(), net.namedParameters().get("layers.0.weight").toArray());

        state.put("norm.weight", Tensor.zeros(3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net.loadStateDict(state, false));
        assertTrue(e.getMessage().contains("size mismatch for norm.weight: copying a tensor of shape [3], the shape in the current model is [2]"),
                e.getMessage());
        assertFalse(e.getMessage().contains("Missing"), e.getMessage());
    }

    @Test
    void functionalCallSubstitutesAndRestores() {
        Linear lin = new Linear(2, 1, new Rng(1));
        Tensor w = lin.weight();
        Tensor y = lin.functionalCall(Map.of("weight", Tensor.matrix(new double[][] {{2, 3}}), "bias", Tensor.vector(1)), Tensor.matrix(new double[][] {{1, 1}}));
        assertEquals(6.0, y.item());
        assertSame(w, lin.weight());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> lin.functionalCall(Map.of("weights", Tensor.zeros(1, 2)), Tensor.zeros(1, 2)));
        assertEquals("functionalCall: Linear has no parameter or buffer 'weights'", e.getMessage());
    }

    @Test
    void registrationRejectsDuplicateAndDottedNames() {
        IllegalArgumentException dup = assertThrows(IllegalArgumentException.class, () -> new Module() {
            {
                registerParameter("w", Tensor.zeros(1));
                registerBuffer("w", Tensor.zeros(1));
            }
            @Override
            public Tensor forward(Tensor x) { return x; }
        });
        assertTrue(dup.getMessage().endsWith("attribute 'w' already exists"), dup.getMessage());
        IllegalArgumentException dotted = assertThrows(IllegalArgumentException.class, () -> new Module() {
            { registerModule("a.b", new ReLU()); }
            @Override
            public Tensor forward(Tensor x) { return x; }
        });
        assertTrue(dotted.getMessage().contains("module name must be non-empty and contain no '.', got 'a.b'"), dotted.getMessage());
    }

    @Test
    void toStringNestsChildrenAsPyTorchPrints() {
        Sequential seq = new Sequential(new Linear(784, 10, new Rng(1)), new ReLU(), new Dropout(0.25, new Rng(2)));
        assertEquals("Sequential(\n  (0): Linear(784, 10)\n  (1): ReLU()\n  (2): Dropout(p=0.25)\n)", seq.toString());
    }

    @Test
    void aModuleWithoutBiasHasNone() {
        Linear lin = new Linear(3, 2, false, new Rng(1));
        assertNull(lin.bias());
        assertEquals(List.of("weight"), List.copyOf(lin.namedParameters().keySet()));
    }
}
