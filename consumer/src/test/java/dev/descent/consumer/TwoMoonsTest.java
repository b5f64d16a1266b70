package dev.descent.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.descent.core.Rng;
import dev.descent.core.kernel.Kernels;
import dev.descent.nn.Module;
import dev.descent.nn.io.TorchStateDict;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
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
    void onTheModulePathEveryPackageOfDescentsModulesIsExported() {
        assumeTrue(TwoMoons.class.getModule().isNamed(), "only on the module path");
        for (String name : List.of("dev.descent.core", "dev.descent.nn", "dev.descent.optim")) {
            java.lang.Module module = ModuleLayer.boot().findModule(name).orElseThrow(() -> new AssertionError(name + " is not resolved"));
            ModuleDescriptor d = module.getDescriptor();
            Set<String> exported = d.exports().stream().filter(e -> !e.isQualified()).map(ModuleDescriptor.Exports::source)
                    .collect(Collectors.toCollection(TreeSet::new));
            assertEquals(new TreeSet<>(d.packages()), exported, name + ": a package that is not exported is unusable from the module path");
        }
    }

    @Test
    void theVectorKernelsAreActiveOnTheModulePathWithoutAnyFlag() {
        boolean expected = Boolean.parseBoolean(System.getProperty("consumer.expectVectorKernels"));
        boolean onModulePath = TwoMoons.class.getModule().isNamed();
        assertEquals(expected, onModulePath, "this execution runs on the " + (expected ? "module" : "class") + " path");
        assertEquals(expected, Kernels.vectorized(), Kernels.describe());
    }
}
