package dev.descent.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.core.kernel.Kernels;
import org.junit.jupiter.api.Test;

/**
 * descent works as a dependency: the training reaches the loss and accuracy of a network that separates the two moons
 * (a linear classifier stays near 0.87 accuracy on them), and the kernels are the ones the launch mode promises.
 */
class TwoMoonsTest {

    @Test
    void aSmallNetworkSeparatesTheTwoMoons() {
        TwoMoons.Result r = TwoMoons.train(60, 7);
        assertTrue(r.loss() < 0.05, "final loss " + r.loss());
        assertTrue(r.accuracy() >= 0.98, "final accuracy " + r.accuracy());
    }

    @Test
    void theVectorKernelsAreActiveOnTheModulePathWithoutAnyFlag() {
        boolean expected = Boolean.parseBoolean(System.getProperty("consumer.expectVectorKernels"));
        boolean onModulePath = TwoMoons.class.getModule().isNamed();
        assertEquals(expected, onModulePath, "this execution runs on the " + (expected ? "module" : "class") + " path");
        assertEquals(expected, Kernels.vectorized(), Kernels.describe());
    }
}
