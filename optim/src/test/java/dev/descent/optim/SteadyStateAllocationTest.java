package dev.descent.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.descent.core.Tensor;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Once every parameter has its state, a step allocates nothing: the update rules are fused loops over the buffers. */
class SteadyStateAllocationTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.descent.optim.Optimizers#all")
    void aSteadyStateStepAllocatesNothing(String name, Function<List<Tensor>, Optimizer<?>> make) {
        var threads = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(threads instanceof com.sun.management.ThreadMXBean);
        var bean = (com.sun.management.ThreadMXBean) threads;
        Tensor a = Tensor.full(0.5, 64, 16).requiresGrad(true), b = Tensor.full(-0.5, 16).requiresGrad(true);
        Tensor unused = Tensor.zeros(3).requiresGrad(true);
        a.setGrad(Tensor.full(0.01, 64, 16));
        b.setGrad(Tensor.full(-0.02, 16));
        Optimizer<?> optimizer = make.apply(List.of(a, b, unused));
        // The fewest bytes over a few rounds: the JVM's own one-time work (compiling, deoptimizing) can land in any round,
        // while an allocation inside step() would show in every one. Vector API kernels (the step's maxAbs) allocate
        // until C2 has compiled them, which takes thousands of calls on a busy machine, hence the number of rounds.
        long fewest = Long.MAX_VALUE;
        for (int round = 0; round < 60; round++) {
            long before = bean.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 200; i++) optimizer.step();
            fewest = Math.min(fewest, bean.getCurrentThreadAllocatedBytes() - before);
        }
        assertEquals(0, fewest, "bytes allocated by 200 steady-state steps");
    }
}
