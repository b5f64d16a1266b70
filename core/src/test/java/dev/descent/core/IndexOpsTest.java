package dev.descent.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * max/min/argmax/argmin along a dim with PyTorch's tie and NaN conventions, and the embedding lookup: values,
 * indices, first and second derivatives on generated shapes, and errors. Values and gradients at ties are also checked
 * against PyTorch in {@code fixtures/torch_ops.json}.
 */
class IndexOpsTest {

    @Provide
    Arbitrary<int[]> nonScalar() {
        return Gen.nonScalarShapes();
    }

    /**
     * PyTorch 1.13 on CPU, {@code x = [[1, 3, 3, 0], [2, 2, 2, 2], [nan, 5, nan, 1]]}: {@code torch.max(x, 1)} gives
     * values {@code [3, 2, nan]}, indices {@code [1, 0, 0]}; {@code torch.min(x, 1)} gives {@code [0, 2, nan]},
     * {@code [3, 0, 0]}; argmax and argmin give the same indices. Ties pick the first occurrence, NaN is the extreme.
     */
    @Test
    void tiesPickTheFirstOccurrenceAndNanIsTheExtremeAsInPyTorch() {
        double nan = Double.NaN;
        Tensor x = Tensor.matrix(new double[][] {{1, 3, 3, 0}, {2, 2, 2, 2}, {nan, 5, nan, 1}});
        ValuesAndIndices max = x.maxWithIndices(1, false), min = x.minWithIndices(1, false);
        assertArrayEquals(new double[] {3, 2, nan}, max.values().toArray());
        assertArrayEquals(new double[] {1, 0, 0}, max.indices().toArray());
        assertArrayEquals(new double[] {0, 2, nan}, min.values().toArray());
        assertArrayEquals(new double[] {3, 0, 0}, min.indices().toArray());
        assertArrayEquals(max.indices().toArray(), x.argmax(1, false).toArray());
        assertArrayEquals(min.indices().toArray(), x.argmin(1, false).toArray());
        // torch.argmax(torch.tensor([1., 4., 4.])) == 1; torch.argmax(torch.tensor([[1., 2], [3, 0]]), 0, keepdim=True) == [[1, 0]]
        assertEquals(1.0, Tensor.vector(1, 4, 4).argmax().item());
        Tensor kept = Tensor.matrix(new double[][] {{1, 2}, {3, 0}}).argmax(0, true);
        assertArrayEquals(new int[] {1, 2}, kept.shape());
        assertArrayEquals(new double[] {1, 0}, kept.toArray());
    }

    @Property(tries = 25, seed = "951")
    void maxAndMinAlongADimAgreeWithAScanOfEachLine(@ForAll("nonScalar") int[] s, @ForAll long seed, @ForAll boolean keepDim) {
        Tensor x = Gen.uniform(seed, -2, 2, s);
        int dim = (int) Math.floorMod(seed, (long) s.length);
        ValuesAndIndices max = x.maxWithIndices(dim, keepDim);
        // the reference: gather at the index, and no element of the line exceeds it
        Tensor picked = x.gather(dim, x.argmax(dim, true));
        assertArrayEquals(picked.toArray(), max.values().toArray());
        assertEquals(0.0, x.gt(picked).sum().item(), "nothing exceeds the maximum");
        assertArrayEquals(Shapes.reduced(s, new int[] {dim}, keepDim), max.values().shape());
        assertArrayEquals(x.neg().argmax(dim, keepDim).toArray(), x.argmin(dim, keepDim).toArray());
    }

    @Property(tries = 20, seed = "952")
    void maxWithIndicesFirstAndSecondDerivatives(@ForAll("nonScalar") int[] s, @ForAll long seed) {
        int dim = (int) Math.floorMod(seed, (long) s.length);
        Tensor x = Gen.distinct(seed, s); // no ties, so no probe changes the index
        OpGradientProperties.passesTwice(in -> in[0].maxWithIndices(dim, false).values().square(), x);
        OpGradientProperties.passesTwice(in -> in[0].minWithIndices(dim, true).values().square(), x);
    }

    private static Tensor randomIndices(long seed, int vocab, int[] shape) {
        Rng rng = new Rng(seed);
        double[] idx = new double[Shapes.size(shape)];
        for (int i = 0; i < idx.length; i++) idx[i] = rng.nextInt(vocab);
        return Tensor.of(idx, shape);
    }

    @Property(tries = 20, seed = "953")
    void embeddingFirstAndSecondDerivatives(@ForAll @IntRange(min = 1, max = 4) int vocab, @ForAll @IntRange(min = 1, max = 3) int dim,
                                            @ForAll("nonScalar") int[] indexShape, @ForAll long seed) {
        Tensor indices = randomIndices(seed, vocab, indexShape);
        // squared, so the second derivative is not zero
        OpGradientProperties.passesTwice(in -> Tensor.embedding(indices, in[0]).square(), Gen.uniform(seed + 1, -1, 1, vocab, dim));
    }

    @Property(tries = 15, seed = "954")
    void thePaddingRowIsTreatedAsAConstant(@ForAll @IntRange(min = 2, max = 4) int vocab, @ForAll("nonScalar") int[] indexShape,
                                           @ForAll long seed) {
        Tensor indices = randomIndices(seed, vocab, indexShape);
        Tensor w = Gen.uniform(seed + 1, -1, 1, vocab, 2).requiresGrad(true);
        Tensor v = Gen.uniform(seed + 2, -1, 1, Shapes.size(indexShape), 2).reshape(Tensor.embedding(indices, w.detach()).shape());
        try (Tape tape = Tape.record()) {
            Tensor padded = tape.gradient(Tensor.embedding(indices, w, 1), new Tensor[] {w}, v)[0];
            Tensor constantRow = Tensor.concat(0, w.slice(0, 0, 1), w.slice(0, 1, 2).detach(), w.slice(0, 2, vocab));
            Tensor expected = tape.gradient(Tensor.embedding(indices, constantRow), new Tensor[] {w}, v)[0];
            assertArrayEquals(expected.toArray(), padded.toArray());
        }
    }

    @Test
    void embeddingAccumulatesRepeatsAndSkipsThePaddingRow() {
        Tensor w = Tensor.matrix(new double[][] {{1, 2}, {3, 4}, {5, 6}}).requiresGrad(true);
        Tensor idx = Tensor.of(new double[] {2, 0, 2, 1}, 2, 2);
        try (Tape tape = Tape.record()) {
            Tensor y = Tensor.embedding(idx, w, -3); // -3 is row 0
            assertArrayEquals(new int[] {2, 2, 2}, y.shape());
            assertArrayEquals(new double[] {5, 6, 1, 2, 5, 6, 3, 4}, y.toArray());
            tape.backward(y.sum());
        }
        assertArrayEquals(new double[] {0, 0, 1, 1, 2, 2}, w.grad().toArray(), "row 0 is padding; row 2 was picked twice");
    }

    @Test
    void badIndicesAreNamed() {
        Tensor w = Tensor.zeros(10, 3);
        assertEquals("embedding: index 12 is out of range [0, 10)",
                assertThrows(IllegalArgumentException.class, () -> Tensor.embedding(Tensor.vector(1, 12), w)).getMessage());
        assertEquals("embedding: index 1.5 is out of range [0, 10)",
                assertThrows(IllegalArgumentException.class, () -> Tensor.embedding(Tensor.vector(1.5), w)).getMessage());
        assertEquals("embedding: expected paddingIdx in [-10, 10), got 10",
                assertThrows(IllegalArgumentException.class, () -> Tensor.embedding(Tensor.vector(1), w, 10)).getMessage());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 0).argmax(1, false));
        assertTrue(e.getMessage().startsWith("argmax: cannot reduce over dimension 1 of size 0"), e.getMessage());
    }
}
