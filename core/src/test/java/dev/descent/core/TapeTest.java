package dev.descent.core;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class TapeTest {

    @Test
    void backwardAccumulatesIntoLeafGradients() {
        Tensor w = Tensor.vector(1, 2, 3).requiresGrad(true);
        Tensor x = Tensor.vector(4, 5, 6);
        for (int step = 1; step <= 2; step++) {
            try (Tape tape = Tape.record()) {
                tape.backward(w.mul(x).sum());
            }
            assertArrayEquals(new double[] {4 * step, 5 * step, 6 * step}, w.grad().toArray(), 0);
        }
        w.zeroGrad();
        assertArrayEquals(new double[] {0, 0, 0}, w.grad().toArray(), 0);
    }

    @Test
    void gradientReturnsWithoutAccumulating() {
        Tensor x = Tensor.scalar(3).requiresGrad(true);
        Tensor y;
        try (Tape tape = Tape.record()) {
            y = x.square().mul(x);
        }
        // the graph lives in the tensors: another tape can differentiate what a closed one recorded
        Tensor[] g = gradientAfterClose(y, x);
        assertEquals(27, g[0].item(), 0);
        assertNull(x.grad());
    }

    private static Tensor[] gradientAfterClose(Tensor y, Tensor x) {
        try (Tape tape = Tape.record()) {
            return tape.gradient(y, x);
        }
    }

    @Test
    void fanInIsSummed() {
        Tensor x = Tensor.scalar(2).requiresGrad(true);
        try (Tape tape = Tape.record()) {
            Tensor a = x.mul(3);
            tape.backward(a.add(a).add(x.square())); // 6x + x^2 -> 6 + 2x
        }
        assertEquals(10, x.grad().item(), 0);
    }

    @Test
    void anOpWithSeveralOutputsIsOneNodeVisitedOnceWithEveryOutputsGradient() {
        Tensor x = Tensor.vector(1, 2, 3, 4).requiresGrad(true);
        try (Tape tape = Tape.record()) {
            Tensor[] parts = x.unbind(0);
            assertSame(parts[0].node(), parts[3].node(), "one node for all the parts");
            // parts 1 and 2 get no gradient (zeros), part 3 two paths that sum before the node is visited
            Tensor y = parts[0].mul(10).add(parts[3].square()).add(parts[3]);
            tape.backward(y);
        }
        assertArrayEquals(new double[] {10, 0, 0, 9}, x.grad().toArray(), 0);
    }

    @Test
    void aMultiOutputGraphIsFreedAfterBackwardAndSaysSo() {
        Tensor x = Tensor.vector(1, 2).requiresGrad(true);
        try (Tape tape = Tape.record()) {
            Tensor[] parts = x.unbind(0);
            Tensor y = parts[0].mul(parts[1]);
            tape.backward(y);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> tape.backward(y));
            assertTrue(e.getMessage().contains("already freed"), e.getMessage());
        }
    }

    @Test
    void sameTensorPassedTwiceGetsIndependentGradientBuffers() {
        Tensor a = Tensor.vector(1, 2).requiresGrad(true), b = Tensor.vector(3, 4).requiresGrad(true);
        try (Tape tape = Tape.record()) {
            Tensor s = a.add(b);
            tape.backward(s.add(s).sum());
        }
        assertNotSame(a.grad(), b.grad());
        a.grad().fill(0);
        assertArrayEquals(new double[] {2, 2}, b.grad().toArray(), 0);
    }

    @Test
    void nonScalarTargetNeedsASeed() {
        Tensor x = Tensor.vector(1, 2, 3).requiresGrad(true);
        try (Tape tape = Tape.record()) {
            Tensor y = x.square();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tape.backward(y));
            assertTrue(e.getMessage().contains("shape [3]") && e.getMessage().contains("seed"), e.getMessage());
            tape.backward(y, Tensor.vector(1, 0, 1));
        }
        assertArrayEquals(new double[] {2, 0, 6}, x.grad().toArray(), 0);
    }

    @Test
    void seedOfTheWrongShapeIsRejected() {
        Tensor x = Tensor.vector(1, 2, 3).requiresGrad(true);
        try (Tape tape = Tape.record()) {
            Tensor y = x.square();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tape.backward(y, Tensor.vector(1, 2)));
            assertEquals("backward: the seed has shape [2] but the target has shape [3]", e.getMessage());
        }
    }

    @Test
    void aChainOfHundredThousandOpsDifferentiatesWithoutRecursion() {
        Tensor x = Tensor.scalar(1).requiresGrad(true);
        try (Tape tape = Tape.record()) {
            Tensor y = x;
            for (int i = 0; i < 100_000; i++) y = y.mul(1.00001);
            tape.backward(y);
        }
        assertEquals(Math.pow(1.00001, 100_000), x.grad().item(), 1e-9);
    }

    @Test
    void secondBackwardWithoutRetainGraphSaysHowToRetain() {
        Tensor x = Tensor.scalar(2).requiresGrad(true);
        try (Tape tape = Tape.record()) {
            Tensor y = x.exp();
            tape.backward(y);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> tape.backward(y));
            assertTrue(e.getMessage().contains("'exp'") && e.getMessage().contains("already freed")
                    && e.getMessage().contains("retainGraph()"), e.getMessage());
        }
    }

    @Test
    void retainGraphAllowsRepeatedBackward() {
        Tensor x = Tensor.scalar(2).requiresGrad(true);
        try (Tape tape = Tape.record().retainGraph()) {
            Tensor y = x.square();
            tape.backward(y);
            tape.backward(y);
        }
        assertEquals(8, x.grad().item(), 0);
    }

    @Test
    void inPlaceChangeOfASavedTensorMakesBackwardThrow() {
        Tensor x = Tensor.vector(1, 2).requiresGrad(true);
        Tensor w = Tensor.vector(3, 4);
        try (Tape tape = Tape.record()) {
            Tensor y = x.mul(w).sum();
            w.set(10, 0);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> tape.backward(y));
            assertTrue(e.getMessage().contains("'mul'") && e.getMessage().contains("modified in place")
                    && e.getMessage().contains("version 1, expected 0"), e.getMessage());
        }
    }

    @Test
    void inPlaceChangeThroughAViewIsDetected() {
        Tensor x = Tensor.vector(1, 2, 3, 4).requiresGrad(true);
        Tensor w = Tensor.vector(1, 1, 1, 1);
        Tensor view = w.reshape(2, 2);
        try (Tape tape = Tape.record()) {
            Tensor y = x.mul(w).sum();
            view.fill(2);
            assertThrows(IllegalStateException.class, () -> tape.backward(y));
        }
    }

    @Test
    void anomalyModeNamesTheFirstOpProducingNaNAndWhereItWasRecorded() {
        Tensor x = Tensor.vector(1, -1).requiresGrad(true);
        try (Tape tape = Tape.record().detectAnomalies()) {
            ArithmeticException e = assertThrows(ArithmeticException.class, () -> x.sqrt().log());
            assertTrue(e.getMessage().contains("'sqrt' produced NaN"), e.getMessage());
            assertTrue(e.getMessage().contains("TapeTest"), e.getMessage());
        }
    }

    @Test
    void anomalyModeCatchesInfinityInBackward() {
        Tensor x = Tensor.vector(0, 1).requiresGrad(true);
        try (Tape tape = Tape.record().detectAnomalies()) {
            Tensor y = x.sqrt().sum(); // forward is finite; d sqrt / dx at 0 is infinite
            ArithmeticException e = assertThrows(ArithmeticException.class, () -> tape.backward(y));
            assertTrue(e.getMessage().contains("backward rule of 'sqrt'") && e.getMessage().contains("infinity"), e.getMessage());
        }
    }

    @Test
    void withoutAnomalyModeNaNFlowsSilently() {
        Tensor x = Tensor.vector(-1).requiresGrad(true);
        try (Tape tape = Tape.record()) {
            tape.backward(x.sqrt().sum());
        }
        assertTrue(Double.isNaN(x.grad().item()));
    }

    @Test
    void nothingIsRecordedOutsideATapeOrInsideNoGrad() {
        Tensor x = Tensor.scalar(1).requiresGrad(true);
        assertFalse(x.exp().requiresGrad());
        try (Tape tape = Tape.record()) {
            assertFalse(Tape.noGrad(() -> x.exp()).requiresGrad());
            assertTrue(x.exp().requiresGrad());
            assertFalse(x.detach().exp().requiresGrad());
        }
    }

    @Test
    void gradientOfATensorNotOnTheTapeSaysSo() {
        Tensor x = Tensor.scalar(1).requiresGrad(true);
        Tensor y = x.exp(); // outside any tape
        try (Tape tape = Tape.record()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tape.gradient(y, x));
            assertTrue(e.getMessage().contains("was not recorded on a tape"), e.getMessage());
        }
    }

    @Test
    void gradientWithRespectToAConstantSaysSo() {
        Tensor x = Tensor.scalar(1).requiresGrad(true), c = Tensor.scalar(2);
        try (Tape tape = Tape.record()) {
            Tensor y = x.mul(c);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tape.gradient(y, c));
            assertTrue(e.getMessage().contains("input 0") && e.getMessage().contains("does not require grad"), e.getMessage());
        }
    }

    @Test
    void unconnectedInputsGetZeroGradients() {
        Tensor x = Tensor.scalar(1).requiresGrad(true), z = Tensor.vector(1, 2).requiresGrad(true);
        try (Tape tape = Tape.record()) {
            Tensor[] g = tape.gradient(x.exp(), x, z);
            assertArrayEquals(new double[] {0, 0}, g[1].toArray(), 0);
        }
    }

    @Test
    void nestedTapesGiveHigherDerivatives() {
        Tensor x = Tensor.scalar(0.7).requiresGrad(true);
        Tensor d1, d2, d3;
        try (Tape t3 = Tape.record()) {
            try (Tape t2 = Tape.record()) {
                try (Tape t1 = Tape.record()) {
                    d1 = t1.gradient(x.pow(4), x)[0];
                }
                d2 = t2.gradient(d1, x)[0];
            }
            d3 = t3.gradient(d2, x)[0];
        }
        // f = x^4: 4x^3, 12x^2, 24x
        assertEquals(4 * Math.pow(0.7, 3), d1.item(), 1e-12);
        assertEquals(12 * 0.49, d2.item(), 1e-12);
        assertEquals(24 * 0.7, d3.item(), 1e-12);
    }

    @Test
    void customOpWithAWrongRuleIsCaughtByGradCheck() {
        GradCheck.Fn wrongSquare = in -> Tensor.custom("wrongSquare", in[0].detach().square(), in, g -> new Tensor[] {g.mul(in[0])});
        GradCheck.Report r = GradCheck.check(wrongSquare, Tensor.vector(1.5, -2));
        assertFalse(r.passed());
        assertEquals(0, r.worstInput());
        assertEquals(-4.0, r.numeric(), 1e-6);
        assertEquals(-2.0, r.analytic(), 0);
        assertTrue(r.toString().contains("FAILED") && r.toString().contains("analytic -2.0"), r.toString());
        GradCheck.Fn rightSquare = in -> Tensor.custom("square", in[0].detach().square(), in, g -> new Tensor[] {g.mul(in[0]).mul(2)});
        assertTrue(GradCheck.check(rightSquare, Tensor.vector(1.5, -2)).passed());
        assertTrue(GradCheck.gradGradCheck(rightSquare, Tensor.vector(1.5, -2)).passed());
    }

    @Test
    void gradCheckWarnsWhenAProbeStraddlesAKink() {
        GradCheck.Report r = GradCheck.check(in -> in[0].relu(), Tensor.vector(0.0, 1.0));
        assertFalse(r.passed(), "relu at 0: analytic 0 (PyTorch) vs numeric 0.5");
        assertEquals(1, r.warnings().size(), r.toString());
        assertTrue(r.warnings().get(0).contains("kink") && r.warnings().get(0).contains("[0]"), r.toString());
    }

    @Test
    void epsSweepShowsTruncationThenRoundOff() {
        GradCheck.Sweep sweep = GradCheck.sweep(in -> in[0].exp().pow(3), Tensor.vector(0.3));
        var points = sweep.points();
        assertEquals(12, points.size());
        int best = points.indexOf(sweep.best());
        for (GradCheck.SweepPoint p : points) assertTrue(p.maxAbsError() >= sweep.best().maxAbsError());
        assertTrue(best > 1 && best < 11, "the error bottoms out in the middle, at eps=" + points.get(best).eps());
        assertTrue(points.get(0).maxAbsError() > 100 * points.get(best).maxAbsError());
        assertTrue(points.get(11).maxAbsError() > 100 * points.get(best).maxAbsError());
    }

    @Test
    void matmulAddsStraightIntoExistingGradientBuffersWithTheSameResult() {
        Rng rng = new Rng(3);
        Tensor x = Tensor.uniform(rng, -1, 1, 6, 5);
        Tensor w = Tensor.uniform(rng, -1, 1, 4, 5).requiresGrad(true), v = Tensor.uniform(rng, -1, 1, 4, 4).requiresGrad(true);
        GradCheck.Fn loss = in -> {
            Tensor h = Tensor.linear(x, in[0], null).tanh();        // w reaches the loss through two products
            return h.matmul(in[1]).matmul(in[0]).square().sum().add(in[0].square().sum());
        };
        Tensor[] expected;
        try (Tape tape = Tape.record()) {
            expected = tape.gradient(loss.apply(w, v), w, v);       // gradient() never writes into buffers
        }
        for (int step = 1; step <= 3; step++) {
            Tensor before = w.grad();
            try (Tape tape = Tape.record()) {
                tape.backward(loss.apply(w, v));
            }
            if (before != null) assertSame(before, w.grad(), "the buffer is reused");
            for (int i = 0; i < w.size(); i++) assertEquals(step * expected[0].data()[i], w.grad().data()[i], 1e-12);
            for (int i = 0; i < v.size(); i++) assertEquals(step * expected[1].data()[i], v.grad().data()[i], 1e-12);
        }
    }

    /** An op whose rule returns {@code grad} for its input, marked fresh or not; {@code returned[0]} is what it gave. */
    private static Tensor probe(Tensor x, boolean fresh, Tensor[] returned) {
        Tensor out = new Tensor(x.data().clone(), x.shapeRef());
        Tape.record("probe", out, new Tensor[] {x}, Tape.NOTHING_SAVED, g -> {
            Tensor[] gi = {new Tensor(g.data().clone(), g.shapeRef())};
            returned[0] = gi[0];
            return fresh ? Tape.fresh(gi) : gi;
        });
        return out;
    }

    @Test
    void aFreshGradientBecomesTheLeafGradientWithoutACopyAndStillAccumulates() {
        Tensor x = Tensor.vector(1, 2, 3).requiresGrad(true), v = Tensor.vector(4, 5, 6);
        Tensor[] returned = new Tensor[1];
        try (Tape tape = Tape.record()) {
            tape.backward(probe(x, true, returned).mul(v).sum());
        }
        assertSame(returned[0], x.grad(), "a fresh gradient is kept as it is");
        try (Tape tape = Tape.record()) {
            tape.backward(probe(x, false, returned).mul(v).sum());
        }
        assertArrayEquals(new double[] {8, 10, 12}, x.grad().toArray(), 0);

        Tensor y = Tensor.vector(1, 2, 3).requiresGrad(true);
        try (Tape tape = Tape.record()) {
            tape.backward(probe(y, false, returned).mul(v).sum());
        }
        assertNotSame(returned[0], y.grad(), "an unmarked gradient is copied");
        // two fresh gradients of one input are added, not aliased
        Tensor z = Tensor.vector(1, 2, 3).requiresGrad(true);
        Tensor[] first = new Tensor[1], second = new Tensor[1];
        try (Tape tape = Tape.record()) {
            tape.backward(probe(z, true, first).mul(v).add(probe(z, true, second)).sum());
        }
        assertArrayEquals(new double[] {5, 6, 7}, z.grad().toArray(), 0);
        // backward runs in reverse recording order: the second probe's gradient arrives first and takes the sum
        assertSame(second[0], z.grad());
        assertArrayEquals(new double[] {4, 5, 6}, first[0].toArray(), 0, "the gradient that arrives later is not written into");
    }
}
