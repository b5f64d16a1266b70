package dev.descent.nn;

import static dev.descent.nn.Fixtures.assertClose;
import static dev.descent.nn.Fixtures.tensor;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.descent.core.Rng;
import dev.descent.core.Tape;
import dev.descent.core.Tensor;
import dev.descent.nn.io.SafeTensors;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The recurrent cells and layers agree with PyTorch 1.13 in float64: outputs, final states, and the gradients of
 * {@code (output·w_output).sum() + (h_n·w_h).sum() + (c_n·w_c).sum()} with respect to the input, the initial states
 * and every parameter, within {@code 1e-12 + 1e-9·|torch|}. The parameters are PyTorch's own, loaded by name with a
 * strict {@code loadStateDict}, so the names and layouts must match one to one. Cases (LSTMs with {@code proj_size}
 * among them): {@code fixtures/torch_recurrent.json}, written by {@code fixtures/torch_recurrent.py}.
 */
class RecurrentReferenceTest {

    /** A module under test: its forward from (input, h0, c0) to {output or null, h_n, c_n or null}. */
    private record Subject(Module module, java.util.function.Function<Tensor[], Tensor[]> run) {}

    @TestFactory
    Stream<DynamicTest> recurrentModulesMatchPyTorch() {
        return StreamSupport.stream(Fixtures.load("torch_recurrent").getAsJsonArray().spliterator(), false)
                .map(JsonElement::getAsJsonObject)
                .map(c -> DynamicTest.dynamicTest(c.get("name").getAsString(), () -> replay(c)));
    }

    private static void replay(JsonObject c) {
        Subject s = subject(c);
        s.module().loadStateDict(Fixtures.tensors(c.getAsJsonObject("params")), true);
        Tensor x = tensor(c, "input").requiresGrad(true);
        Tensor h0 = tensor(c, "h0").requiresGrad(true);
        Tensor c0 = c.has("c0") ? tensor(c, "c0").requiresGrad(true) : null;
        Tensor[] result;
        try (Tape tape = Tape.record()) {
            result = s.run().apply(new Tensor[] {x, h0, c0});
            Tensor loss = result[1].mul(tensor(c, "w_h")).sum();
            if (result[0] != null) loss = loss.add(result[0].mul(tensor(c, "w_output")).sum());
            if (result[2] != null) loss = loss.add(result[2].mul(tensor(c, "w_c")).sum());
            tape.backward(loss);
        }
        if (c.has("output")) assertClose("output", tensor(c, "output"), result[0]);
        assertClose("h_n", tensor(c, "h_n"), result[1]);
        assertEquals(c.has("c_n"), result[2] != null, "a cell state exactly for LSTMs");
        if (c.has("c_n")) assertClose("c_n", tensor(c, "c_n"), result[2]);
        JsonObject grads = c.getAsJsonObject("grads");
        assertClose("grad input", tensor(grads, "input"), x.grad());
        assertClose("grad h0", tensor(grads, "h0"), h0.grad());
        if (c0 != null) assertClose("grad c0", tensor(grads, "c0"), c0.grad());
        assertEquals(grads.keySet().size() - (c0 != null ? 3 : 2), s.module().namedParameters().size(), "one gradient per parameter");
        for (Map.Entry<String, Tensor> p : s.module().namedParameters().entrySet()) {
            assertClose("grad " + p.getKey(), tensor(grads, p.getKey()), p.getValue().grad());
        }
    }

    private static Subject subject(JsonObject c) {
        int in = c.get("input_size").getAsInt(), hidden = c.get("hidden_size").getAsInt();
        boolean bias = c.get("bias").getAsBoolean();
        Rng rng = new Rng(0);
        RNNBase.Options o = c.has("num_layers") ? RNNBase.DEFAULTS.withNumLayers(c.get("num_layers").getAsInt()).withBias(bias)
                .withBatchFirst(c.get("batch_first").getAsBoolean()).withBidirectional(c.get("bidirectional").getAsBoolean()) : null;
        RNNCell.Nonlinearity nl = c.has("nonlinearity") ? RNNCell.Nonlinearity.valueOf(c.get("nonlinearity").getAsString().toUpperCase(Locale.ROOT)) : null;
        return switch (c.get("module").getAsString()) {
            case "LSTMCell" -> {
                LSTMCell m = new LSTMCell(in, hidden, bias, rng);
                yield new Subject(m, a -> {
                    RecurrentState s = m.forward(a[0], a[1], a[2]);
                    return new Tensor[] {null, s.h(), s.c()};
                });
            }
            case "GRUCell" -> {
                GRUCell m = new GRUCell(in, hidden, bias, rng);
                yield new Subject(m, a -> new Tensor[] {null, m.forward(a[0], a[1]), null});
            }
            case "RNNCell" -> {
                RNNCell m = new RNNCell(in, hidden, bias, nl, rng);
                yield new Subject(m, a -> new Tensor[] {null, m.forward(a[0], a[1]), null});
            }
            case "LSTM" -> {
                LSTM m = new LSTM(in, hidden, o, c.has("proj_size") ? c.get("proj_size").getAsInt() : 0, rng);
                yield new Subject(m, a -> result(m.forward(a[0], a[1], a[2])));
            }
            case "GRU" -> {
                GRU m = new GRU(in, hidden, o, rng);
                yield new Subject(m, a -> result(m.forward(a[0], a[1])));
            }
            case "RNN" -> {
                RNN m = new RNN(in, hidden, nl, o, rng);
                yield new Subject(m, a -> result(m.forward(a[0], a[1])));
            }
            default -> throw new IllegalArgumentException(c.get("module").getAsString());
        };
    }

    private static Tensor[] result(RecurrentOutput r) {
        return new Tensor[] {r.output(), r.hN(), r.cN()};
    }

    @Test
    void aStateDictSavedByPyTorchLoadsIntoTheSameLstmAndGivesItsOutputs() throws URISyntaxException {
        Path file = Path.of(RecurrentReferenceTest.class.getResource("/fixtures/torch_lstm_state.safetensors").toURI());
        Map<String, Tensor> state = SafeTensors.load(file);
        LSTM lstm = new LSTM(3, 5, RNNBase.DEFAULTS.withNumLayers(2).withBatchFirst(true).withDropout(0.5).withBidirectional(true), new Rng(7));
        lstm.loadStateDict(state, true); // strict: every name and shape of PyTorch's state dict is one of ours, and back
        lstm.eval();
        JsonObject expected = Fixtures.load("torch_lstm_state").getAsJsonObject();
        RecurrentOutput out = lstm.forward(tensor(expected, "input"), null, null);
        assertClose("output", tensor(expected, "output"), out.output());
        assertClose("h_n", tensor(expected, "h_n"), out.hN());
        assertClose("c_n", tensor(expected, "c_n"), out.cN());
    }

    @Test
    void aProjectedLstmHasPyTorchsStateDictKeysInOrderAndLoadsItsStateDict() throws URISyntaxException {
        Path file = Path.of(RecurrentReferenceTest.class.getResource("/fixtures/torch_lstm_proj_state.safetensors").toURI());
        Map<String, Tensor> state = SafeTensors.load(file);
        LSTM lstm = new LSTM(3, 5, RNNBase.DEFAULTS.withNumLayers(2).withBidirectional(true), 2, new Rng(7));
        JsonObject expected = Fixtures.load("torch_lstm_proj_state").getAsJsonObject();
        List<String> keys = StreamSupport.stream(expected.getAsJsonArray("state_dict_keys").spliterator(), false)
                .map(JsonElement::getAsString).toList();
        assertEquals(keys, List.copyOf(lstm.stateDict().keySet()), "PyTorch's state_dict().keys(), weight_hr after the biases");
        assertEquals(keys, List.copyOf(state.keySet()));
        lstm.loadStateDict(state, true);
        lstm.eval();
        RecurrentOutput out = lstm.forward(tensor(expected, "input"), null, null);
        assertClose("output", tensor(expected, "output"), out.output());
        assertClose("h_n", tensor(expected, "h_n"), out.hN());
        assertClose("c_n", tensor(expected, "c_n"), out.cN());
    }
}
