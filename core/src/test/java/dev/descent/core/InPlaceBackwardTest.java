package dev.descent.core;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * A plain {@code backward} lets rules write their result into the gradient they were given when nothing else holds
 * it ({@link Tape#overwritable}); {@code gradient} never does. Both must give the same bits, and neither may touch a
 * tensor of the forward pass, on graphs where a gradient is used twice (fan-out, {@code x·x}, both operands of a
 * product requiring grad) as well as on plain chains.
 */
class InPlaceBackwardTest {
    private static final int[] SHAPE = {6, 5};

    /** The loss of {@code graph} on a fresh copy of the inputs, by backward and by gradient, compared bit for bit. */
    private static void sameBothWays(Function<Tensor[], Tensor> graph) {
        Rng rng = new Rng(11);
        Tensor[] inputs = {Tensor.normal(rng, 0, 1, SHAPE), Tensor.normal(rng, 0, 1, SHAPE), Tensor.normal(rng, 0, 1, SHAPE[1])};
        double[][] byBackward = new double[inputs.length][], byGradient;
        List<Tensor> forward = new ArrayList<>();
        double[][] before;
        Tensor[] a = copies(inputs);
        try (Tape tape = Tape.record()) {
            Tensor loss = graph.apply(a);
            forward.add(loss);
            for (Tensor t : a) forward.add(t);
            before = snapshot(forward);
            tape.backward(loss);
        }
        assertArrayEquals(before, snapshot(forward), "backward changed a tensor of the forward pass");
        for (int i = 0; i < a.length; i++) byBackward[i] = a[i].grad() == null ? new double[a[i].size()] : a[i].grad().data();
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < i; j++) {
                assertNotSame(byBackward[j], byBackward[i], "inputs " + j + " and " + i + " share one gradient array");
            }
            for (Tensor t : forward) assertNotSame(t.data(), byBackward[i], "input " + i + "'s gradient is a tensor of the forward pass");
        }
        Tensor[] b = copies(inputs);
        try (Tape tape = Tape.record()) {
            Tensor[] g = tape.gradient(graph.apply(b), b);
            byGradient = new double[g.length][];
            for (int i = 0; i < g.length; i++) byGradient[i] = g[i].data();
        }
        for (int i = 0; i < inputs.length; i++) {
            assertArrayEquals(byGradient[i], byBackward[i], 0.0, "input " + i);
        }
    }

    private static Tensor[] copies(Tensor[] inputs) {
        Tensor[] out = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) out[i] = inputs[i].copy().requiresGrad(true);
        return out;
    }

    private static double[][] snapshot(List<Tensor> ts) {
        double[][] out = new double[ts.size()][];
        for (int i = 0; i < ts.size(); i++) out[i] = ts.get(i).data().clone();
        return out;
    }

    @Test
    void chainOfElementwiseAndNormalisationRules() {
        sameBothWays(in -> {
            Tensor h = in[0].mul(in[1]).tanh().relu();
            h = Tensor.batchNorm(h, null, null, in[2], in[2], true, 0.1, 1e-5);
            h = Tensor.layerNorm(h, new int[] {SHAPE[1]}, in[2], null, 1e-5).sigmoid();
            return h.mul(in[1]).exp().sum();
        });
    }

    @Test
    void gradientsUsedMoreThanOnce() {
        sameBothWays(in -> {
            Tensor y = in[0].tanh();
            Tensor h = y.mul(y).add(y.mul(in[0])).relu(); // x·x, and both operands of a product requiring grad
            return h.mul(h).sum().add(h.mul(in[1]).sum()).add(h.sigmoid().sum()).add(y.sum()); // fan-out of h and y
        });
    }

    @Test
    void broadcastProducts() {
        sameBothWays(in -> in[0].mul(in[2]).tanh().mul(in[2]).mul(in[1].sum()).sum());
    }

    @Test
    void reshapesSplitsAndConcatenations() {
        sameBothWays(in -> {
            // reshape of gradients the tape owns (and of ones it does not), unbind's and stack's backward
            Tensor[] rows = in[0].mul(in[1]).reshape(30).reshape(SHAPE).unbind(0);
            Tensor h = Tensor.stack(0, rows).tanh();
            Tensor v = in[0].reshape(5, 6).tanh().reshape(SHAPE);
            Tensor flat = in[1].reshape(30);
            Tensor first = in[0].mul(in[2]).sum();
            // recorded last, so visited first: add hands one gradient to both reshapes, which must not own it
            Tensor shared = in[0].reshape(30).add(in[1].reshape(30)).tanh().sum();
            return first.add(h.mul(v).sum()).add(v.sum()).add(flat.mul(flat).sum())
                    .add(Tensor.concat(0, flat, flat).sigmoid().sum()).add(shared);
        });
    }

    @Test
    void productsDifferentiatedBySums() {
        // sum(a·b) hands each factor the other one as its gradient (1·b is b): for tensors of the graph and for leaves
        sameBothWays(in -> in[0].tanh().mul(in[1]).sum());
        sameBothWays(in -> in[0].mul(in[1]).sum().add(in[0].mul(in[0]).sum()));
        sameBothWays(in -> in[0].sigmoid().mul(in[1].tanh()).sum().add(in[0].mul(in[1]).mean()).add(in[1].mul(in[2]).sum()));
    }
}
