package dev.descent.core.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/**
 * The scalar kernel on worked examples, and the facade in a JVM started without the Vector API: scalar results equal
 * to the vector kernel's within float64 rounding ({@code 1e-12} of the sum of the terms' magnitudes, as
 * {@link VectorMatMulTest}), one warning through {@code System.Logger}, and no Vector API class loaded.
 */
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

    /** The products the child JVM computes through the facade, each printed as one line of C's values. */
    private static final List<GemmCase> PRODUCTS = List.of(
            new GemmCase(false, false, 64, 48, 40, 0.0, 0, 0, 1),
            new GemmCase(true, false, 37, 70, 129, 1.0, 3, 2, 2),
            new GemmCase(false, true, 5, 9, 300, -0.75, 1, 1, 3));

    @Test
    void facadeFallsBackToScalarWarnsOnceAndMatchesTheVectorKernel() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder builder = new ProcessBuilder(java.toString(), "-Xlog:class+load=info",
                "-cp", System.getProperty("java.class.path"), Main.class.getName());
        builder.environment().remove("JDK_JAVA_OPTIONS");
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        builder.redirectErrorStream(true);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), output);
        assertTrue(output.contains("vectorized=false [58.0, 64.0, 139.0, 154.0]"), output);
        assertTrue(output.contains("kernels: scalar kernels (jdk.incubator.vector is not in the boot layer"), output);

        assertEquals(1, output.split(Pattern.quote(Kernels.SCALAR_WARNING), -1).length - 1,
                "the warning is logged exactly once over " + (PRODUCTS.size() + 2) + " products and reductions:\n" + output);
        assertTrue(output.contains("WARNING: " + Kernels.SCALAR_WARNING), "logged at WARNING through System.Logger:\n" + output);

        List<String> classLoads = output.lines().filter(l -> l.contains("[class,load]")).toList();
        assertTrue(classLoads.stream().anyMatch(l -> l.contains(ScalarMatMul.class.getName())), output);
        assertTrue(classLoads.stream().noneMatch(l -> l.contains(VectorMatMul.class.getName()) || l.contains("jdk.incubator.vector")),
                "no Vector API class is loaded:\n" + output);

        // The same products here, where the tests run with the module: the vector kernel, within float64 rounding.
        assertTrue(MatMul.vectorized());
        Map<String, String> lines = new HashMap<>();
        output.lines().filter(l -> l.startsWith("C")).forEach(l -> lines.put(l.substring(0, l.indexOf(' ')), l.substring(l.indexOf(' ') + 1)));
        for (int p = 0; p < PRODUCTS.size(); p++) {
            GemmCase problem = PRODUCTS.get(p);
            double[] scalar = Arrays.stream(lines.get("C" + p).split(",")).mapToDouble(Double::parseDouble).toArray();
            double[] vector = problem.run(MatMul::gemm, 1);
            double[] scale = problem.scale();
            assertEquals(vector.length, scalar.length);
            for (int at = 0; at < vector.length; at++) {
                assertEquals(vector[at], scalar[at], 1e-12 * scale[at], "product " + p + " at " + at);
            }
        }
    }

    /** Run in the child JVM, without the Vector API module. */
    public static final class Main {
        public static void main(String[] args) {
            double[] c = new double[4];
            MatMul.gemm(false, false, 2, 2, 3, new double[] {1, 2, 3, 4, 5, 6}, 0, 3,
                    new double[] {7, 8, 9, 10, 11, 12}, 0, 2, 0, c, 0, 2);
            System.out.println("vectorized=" + MatMul.vectorized() + " " + Arrays.toString(c));
            System.out.println("kernels: " + Kernels.describe());
            for (int p = 0; p < PRODUCTS.size(); p++) {
                double[] out = PRODUCTS.get(p).run(MatMul::gemm, 2);
                System.out.println("C" + p + " " + Arrays.stream(out).mapToObj(Double::toString).collect(Collectors.joining(",")));
            }
            double[] x = {1, 2, 3};
            System.out.println("reductions " + Elementwise.sum(x, 0, 3) + " " + Elementwise.dot(x, 0, x, 0, 3));
        }
    }
}
