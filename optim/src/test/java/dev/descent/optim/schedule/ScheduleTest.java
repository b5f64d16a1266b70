package dev.descent.optim.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.descent.core.Tensor;
import dev.descent.optim.SGD;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScheduleTest {
    private static final double EPS = 1e-15;

    @Test
    void linearInterpolatesThenHolds() {
        Schedule s = Schedule.linear(1.0, 3.0, 4);
        assertEquals(1.0, s.at(0));
        assertEquals(1.5, s.at(1), EPS);
        assertEquals(3.0, s.at(4), EPS);
        assertEquals(3.0, s.at(100), EPS);
        assertEquals(1.0, s.at(-5), "negative steps count as 0");
    }

    @Test
    void cosineDecayGoesFromInitToAlphaTimesInit() {
        Schedule s = Schedule.cosineDecay(2.0, 10, 0.1);
        assertEquals(2.0, s.at(0), EPS);
        assertEquals(2.0 * (0.9 * 0.5 + 0.1), s.at(5), EPS);
        assertEquals(0.2, s.at(10), EPS);
        assertEquals(0.2, s.at(1000), EPS);
    }

    @Test
    void exponentialAndStepDecay() {
        assertEquals(8 * Math.pow(0.5, 2.5), Schedule.exponentialDecay(8, 2, 0.5, false).at(5), EPS);
        assertEquals(8 * 0.25, Schedule.exponentialDecay(8, 2, 0.5, true).at(5), EPS);
        Schedule step = Schedule.stepDecay(1.0, 3, 0.1);
        assertEquals(1.0, step.at(2));
        assertEquals(0.1, step.at(3), EPS);
        assertEquals(0.01, step.at(6), 1e-17);
    }

    @Test
    void polynomialEndsAtItsEndValue() {
        Schedule s = Schedule.polynomial(1.0, 0.1, 2.0, 10);
        assertEquals(1.0, s.at(0), EPS);
        assertEquals(0.9 * 0.25 + 0.1, s.at(5), EPS);
        assertEquals(0.1, s.at(10), EPS);
        assertEquals(0.1, s.at(11), EPS);
    }

    @Test
    void piecewiseConstantMultipliesAtEachBoundary() {
        Schedule s = Schedule.piecewiseConstant(1.0, new long[] {2, 5}, new double[] {0.5, 0.1});
        assertEquals(1.0, s.at(1));
        assertEquals(0.5, s.at(2));
        assertEquals(0.05, s.at(5), EPS);
    }

    @Test
    void joinRestartsEachScheduleAtItsBoundary() {
        Schedule s = Schedule.join(List.of(Schedule.constant(1), step -> 10 + step, step -> 100 + step), new long[] {3, 5});
        double[] got = new double[8];
        for (int t = 0; t < 8; t++) got[t] = s.at(t);
        org.junit.jupiter.api.Assertions.assertArrayEquals(new double[] {1, 1, 1, 10, 11, 100, 101, 102}, got);
    }

    @Test
    void warmupThenCosineIsContinuousAtTheBoundary() {
        Schedule s = Schedule.warmupCosineDecay(0.0, 1e-3, 10, 110, 1e-5);
        assertEquals(0.0, s.at(0));
        assertEquals(5e-4, s.at(5), EPS);
        assertEquals(1e-3, s.at(10), EPS);
        assertEquals(1e-5, s.at(110), EPS);
        assertEquals(1e-5 + (1e-3 - 1e-5) / 2, s.at(60), 1e-17);
        Schedule w = Schedule.warmup(0.0, 4, Schedule.constant(2.0));
        assertEquals(1.0, w.at(2), EPS);
        assertEquals(2.0, w.at(4));
    }

    @Test
    void thenTimesAndShift() {
        Schedule s = Schedule.constant(1).then(2, Schedule.linear(2, 4, 2)).times(10);
        assertEquals(10, s.at(1));
        assertEquals(20, s.at(2));
        assertEquals(30, s.at(3), 1e-14);
        assertEquals(6.0, Schedule.linear(0, 4, 4).times(Schedule.constant(3)).at(2), EPS);
        assertEquals(1.0, Schedule.linear(0, 4, 4).shifted(3).at(4), EPS);
    }

    @Test
    void aScheduleDrivesAnOptimizerThroughLambdaLR() {
        SGD sgd = new SGD(List.of(Tensor.zeros(1).requiresGrad(true)), 0.5);
        Schedule factor = Schedule.warmup(0.0, 4, Schedule.cosineDecay(1.0, 8, 0.0));
        LambdaLR scheduler = new LambdaLR(sgd, factor);
        for (int t = 0; t < 12; t++) {
            assertEquals(0.5 * factor.at(t), sgd.paramGroups().get(0).lr(), 1e-16, "epoch " + t);
            scheduler.step();
        }
    }

    @Test
    void badArgumentsAreRejected() {
        assertEquals("Expected positive steps, but got 0", assertThrows(IllegalArgumentException.class, () -> Schedule.linear(0, 1, 0)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Schedule.cosineDecay(1, -1, 0));
        assertThrows(IllegalArgumentException.class, () -> Schedule.exponentialDecay(1, 1, 0, false));
        assertThrows(IllegalArgumentException.class, () -> Schedule.piecewiseConstant(1, new long[] {1}, new double[0]));
        assertThrows(IllegalArgumentException.class, () -> Schedule.join(List.of(Schedule.constant(1)), new long[] {1}));
        assertThrows(IllegalArgumentException.class,
                () -> Schedule.join(List.of(Schedule.constant(1), Schedule.constant(2), Schedule.constant(3)), new long[] {5, 2}));
    }
}
