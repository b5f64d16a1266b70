package dev.descent.core.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** The scalar kernel on worked examples, and the facade in a JVM started without the Vector API. */
class ScalarFallbackTest {

    @Test
    void scalarKernelComputesTheTextbookProduct() {
        double[] a = {1, 2, 3, 4, 5, 6};      // 2 x 3
        double[] b = {7, 8, 9, 10, 11, 12};   // 3 x 2
        double[] c = {100, 200, 300, 400};
        ScalarMatMul.gemm(false, false, 2, 2, 3, a, 0, 3, b, 0, 2, 0.5, c, 0, 2);
        assertArrayEquals(new double[] {58 + 50, 64 + 100, 139 + 150, 154 + 200}, c);
        // Same product from transposed storage: A^T stored 3 x 2, B^T stored 2 x 3, C with a padded row.
        double[] at = {1, 4, 2, 5, 3, 6};
        double[] bt = {7, 9, 11, 8, 10, 12};
        double[] padded = {-1, -1, -1, -1, -1, -1};
        ScalarMatMul.gemm(true, true, 2, 2, 3, at, 0, 2, bt, 0, 3, 0, padded, 1, 3);
        assertArrayEquals(new double[] {-1, 58, 64, -1, 139, 154}, padded);
    }

    @Test
    void facadeFallsBackToScalarWithoutLoadingTheVectorKernel() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder builder = new ProcessBuilder(java.toString(), "-verbose:class",
                "-cp", System.getProperty("java.class.path"), Main.class.getName());
        builder.environment().remove("JDK_JAVA_OPTIONS");
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        builder.redirectErrorStream(true);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), output);
        assertTrue(output.contains("vectorized=false [58.0, 64.0, 139.0, 154.0]"), output);
        assertTrue(output.contains(ScalarMatMul.class.getName()), output);
        assertFalse(output.contains(VectorMatMul.class.getName()), output);
        assertFalse(output.contains("jdk.incubator.vector"), output);
    }

    /** Run in the child JVM. */
    public static final class Main {
        public static void main(String[] args) {
            double[] c = new double[4];
            MatMul.gemm(false, false, 2, 2, 3, new double[] {1, 2, 3, 4, 5, 6}, 0, 3,
                    new double[] {7, 8, 9, 10, 11, 12}, 0, 2, 0, c, 0, 2);
            System.out.println("vectorized=" + MatMul.vectorized() + " " + Arrays.toString(c));
        }
    }
}
