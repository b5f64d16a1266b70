package dev.descent.core.kernel;

import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Which kernels run in this JVM, decided once: the Vector API kernels ({@link VectorMatMul}, the reductions of
 * {@link VectorElementwise}) when the {@code jdk.incubator.vector} module is in the boot layer, the scalar references
 * otherwise.
 *
 * <p>The module is there when descent runs on the module path (its module {@code dev.descent.core} requires it) or
 * when a class-path JVM is started with {@code --add-modules jdk.incubator.vector}. Without it everything works, more
 * slowly: a 512 x 512 float64 matmul measured 7.8 times slower (2.4 against 18.7 GFLOP/s on one AVX2 core). So that
 * this does not go unnoticed, the first call of a kernel that has a vector version logs {@link #SCALAR_WARNING} once,
 * at {@link Level#WARNING}, through {@link System#getLogger(String) System.Logger} {@code dev.descent.core.kernel}
 * (by default {@code java.util.logging}, printed on standard error).
 */
public final class Kernels {
    /** Whether the Vector API can be used; decided without touching the Vector API itself. */
    static final boolean VECTOR_API = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    /** The warning logged once when a kernel falls back to scalar code. */
    public static final String SCALAR_WARNING = "descent: the jdk.incubator.vector module is not loaded, so matrix products and "
            + "reductions run on scalar kernels, several times slower (a 512x512 matmul about 8x). Start the JVM with "
            + "--add-modules jdk.incubator.vector (for mvn exec:java put it in .mvn/jvm.config), or put descent on the "
            + "module path, where dev.descent.core requires the module.";

    private static final AtomicBoolean WARNED = new AtomicBoolean();

    private Kernels() {}

    /**
     * Whether the Vector API kernels run in this JVM.
     *
     * @return {@code true} when the {@code jdk.incubator.vector} module is in the boot layer
     */
    public static boolean vectorized() {
        return VECTOR_API;
    }

    /**
     * One line saying which kernels are active and why, for logs and bug reports, e.g.
     * {@code vector kernels (jdk.incubator.vector, 256-bit DoubleVector: 4 doubles per vector)}.
     *
     * @return the description
     */
    public static String describe() {
        if (VECTOR_API) {
            int lanes = VectorElementwise.lanes();
            return "vector kernels (jdk.incubator.vector, " + 64 * lanes + "-bit DoubleVector: " + lanes + " doubles per vector)";
        }
        return "scalar kernels (jdk.incubator.vector is not in the boot layer: add --add-modules jdk.incubator.vector or use the module path)";
    }

    /** Called on the scalar path of a kernel that has a vector version: logs {@link #SCALAR_WARNING} the first time. */
    static void scalarFallback() {
        if (!WARNED.get() && WARNED.compareAndSet(false, true)) {
            System.getLogger(Kernels.class.getPackageName()).log(Level.WARNING, SCALAR_WARNING);
        }
    }
}
