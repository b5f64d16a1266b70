package dev.descent.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jdk.incubator.vector.DoubleVector;
import org.junit.jupiter.api.Test;

/** The report of which kernels are active, in the test JVM (started with the Vector API module). */
class KernelsTest {

    @Test
    void withTheModuleTheVectorKernelsAreActiveAndTheReportNamesTheVectorWidth() {
        assertTrue(Kernels.vectorized());
        assertEquals(Kernels.vectorized(), MatMul.vectorized());
        assertEquals(Kernels.vectorized(), Elementwise.vectorized());
        int lanes = DoubleVector.SPECIES_PREFERRED.length();
        assertEquals("vector kernels (jdk.incubator.vector, " + 64 * lanes + "-bit DoubleVector: " + lanes + " doubles per vector)",
                Kernels.describe());
    }

    @Test
    void theWarningNamesTheFlagTheSlowdownAndTheModulePath() {
        assertTrue(Kernels.SCALAR_WARNING.contains("--add-modules jdk.incubator.vector"));
        assertTrue(Kernels.SCALAR_WARNING.contains("8x"));
        assertTrue(Kernels.SCALAR_WARNING.contains("module path"));
    }
}
