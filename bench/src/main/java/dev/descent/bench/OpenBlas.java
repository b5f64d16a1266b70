package dev.descent.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * OpenBLAS's {@code cblas_dgemm}, called in this JVM through the foreign-function API, as the same-run reference for
 * descent's matmul. The Java arrays are passed to the native code directly ({@link Linker.Option#critical(boolean)}
 * with heap access), so neither side pays for a copy.
 *
 * <p>Present only when an OpenBLAS shared library is installed (Debian: {@code apt-get install libopenblas0-pthread});
 * {@link #load()} says which file it found, or why there is none.
 */
public final class OpenBlas {
    private static final int ROW_MAJOR = 101, NO_TRANS = 111;
    /** Where Debian and most distributions put the library, most specific first. */
    private static final List<String> CANDIDATES = List.of(
            "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0",
            "/usr/lib/x86_64-linux-gnu/libopenblas.so.0",
            "/usr/lib/aarch64-linux-gnu/openblas-pthread/libopenblas.so.0",
            "/usr/lib64/libopenblas.so.0",
            "/usr/lib/libopenblas.so.0");

    private final MethodHandle dgemm;
    private final MethodHandle setNumThreads;
    private final MethodHandle getConfig;
    private final MethodHandle getCorename;
    private final Path library;

    private OpenBlas(Path library) {
        this.library = library;
        Linker linker = Linker.nativeLinker();
        SymbolLookup lookup = SymbolLookup.libraryLookup(library, Arena.global());
        ValueLayout.OfInt i = ValueLayout.JAVA_INT;
        ValueLayout.OfDouble d = ValueLayout.JAVA_DOUBLE;
        var p = ValueLayout.ADDRESS;
        dgemm = linker.downcallHandle(lookup.findOrThrow("cblas_dgemm"),
                FunctionDescriptor.ofVoid(i, i, i, i, i, i, d, p, i, p, i, d, p, i),
                Linker.Option.critical(true));
        setNumThreads = linker.downcallHandle(lookup.findOrThrow("openblas_set_num_threads"), FunctionDescriptor.ofVoid(i));
        getConfig = linker.downcallHandle(lookup.findOrThrow("openblas_get_config"), FunctionDescriptor.of(p));
        getCorename = linker.downcallHandle(lookup.findOrThrow("openblas_get_corename"), FunctionDescriptor.of(p));
    }

    /** The installed OpenBLAS, or empty when no candidate library file exists. */
    public static Optional<OpenBlas> load() {
        String override = System.getenv("DESCENT_OPENBLAS");
        List<String> paths = override == null ? CANDIDATES : List.of(override);
        for (String candidate : paths) {
            Path path = Path.of(candidate);
            if (Files.isReadable(path)) return Optional.of(new OpenBlas(path));
        }
        return Optional.empty();
    }

    /** Why {@link #load()} is empty, for the message that skips the reference. */
    public static String missingReason() {
        return "OpenBLAS not found (looked for " + String.join(", ", CANDIDATES)
                + "; install it with apt-get install libopenblas0-pthread)";
    }

    /**
     * The library file, OpenBLAS's build description (version, options; for a {@code DYNAMIC_ARCH} build the
     * architecture named there is only the oldest one it supports) and the kernel it chose for this processor.
     */
    public String describe() {
        return library + " (" + cString(getConfig) + "), kernel " + kernel();
    }

    /** The kernel OpenBLAS chose at load time, e.g. {@code SkylakeX}, {@code Haswell} or its fallback {@code Prescott}. */
    public String kernel() {
        return cString(getCorename);
    }

    private static String cString(MethodHandle getter) {
        try {
            return ((MemorySegment) getter.invokeExact()).reinterpret(256).getString(0);
        } catch (Throwable t) {
            throw new IllegalStateException("OpenBLAS's description failed", t);
        }
    }

    /**
     * Prints {@link #describe()} (with the argument {@code kernel}: only {@link #kernel()}), or the reason there is no
     * OpenBLAS and exits with status 1 (used by {@code run.sh}).
     */
    public static void main(String[] args) {
        boolean kernelOnly = args.length == 1 && args[0].equals("kernel");
        if (args.length > 0 && !kernelOnly) {
            System.err.println("OpenBlas: expected no argument or 'kernel', got " + String.join(" ", args));
            System.exit(2);
        }
        load().ifPresentOrElse(blas -> System.out.println(kernelOnly ? blas.kernel() : blas.describe()), () -> {
            System.err.println(missingReason());
            System.exit(1);
        });
    }

    /** Sets OpenBLAS's thread count (it keeps its own pool). */
    public void setThreads(int threads) {
        try {
            setNumThreads.invokeExact(threads);
        } catch (Throwable t) {
            throw new IllegalStateException("openblas_set_num_threads failed", t);
        }
    }

    /** {@code C[m x n] = A[m x k] * B[k x n]}, all row-major and dense. */
    public void gemm(int m, int n, int k, double[] a, double[] b, double[] c) {
        if (a.length < (long) m * k || b.length < (long) k * n || c.length < (long) m * n) {
            throw new IllegalArgumentException("OpenBlas.gemm: arrays too short for m=" + m + ", n=" + n + ", k=" + k
                    + ": got " + a.length + ", " + b.length + ", " + c.length);
        }
        try {
            dgemm.invokeExact(ROW_MAJOR, NO_TRANS, NO_TRANS, m, n, k, 1.0, MemorySegment.ofArray(a), k,
                    MemorySegment.ofArray(b), n, 0.0, MemorySegment.ofArray(c), n);
        } catch (Throwable t) {
            throw new IllegalStateException("cblas_dgemm failed", t);
        }
    }
}
