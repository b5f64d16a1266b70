package dev.descent.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.descent.core.Rng;
import dev.descent.core.kernel.Kernels;
import dev.descent.nn.Module;
import dev.descent.nn.io.TorchStateDict;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
    void theTrainedModelSurvivesAPyTorchStateDictRoundTrip(@TempDir Path dir) {
        TwoMoons.Result r = TwoMoons.train(5, 11);
        Path file = dir.resolve("two-moons.safetensors");
        TorchStateDict.save(file, r.model());
        Module fresh = TwoMoons.network(new Rng(99));
        TorchStateDict.load(file, fresh, true);
        assertArrayEquals(r.model().forward(r.inputs()).toArray(), fresh.forward(r.inputs()).toArray());
    }

    @Test
    void theVectorKernelsAreActiveOnTheModulePathWithoutAnyFlag() {
        boolean expected = Boolean.parseBoolean(System.getProperty("consumer.expectVectorKernels"));
        boolean onModulePath = TwoMoons.class.getModule().isNamed();
        assertEquals(expected, onModulePath, "this execution runs on the " + (expected ? "module" : "class") + " path");
        assertEquals(expected, Kernels.vectorized(), Kernels.describe());
    }
}
