package dev.descent.bench;

import java.util.Collection;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import dev.descent.core.kernel.MatMul;
import dev.descent.core.kernel.ScalarMatMul;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Square {@code n x n} matrix products {@code C = A * B} with descent's kernel as users reach it ({@code vector}:
 * {@link MatMul#gemm}, which picks the Vector API kernel when the module is present), its scalar reference
 * ({@code scalar}, always one thread) and OpenBLAS's {@code cblas_dgemm} through the foreign-function API
 * ({@code openblas}, the same-run reference; see {@link OpenBlas}). Score: milliseconds per product; {@link #main}
 * also prints GFLOP/s, {@code 2 n^3 / time}, for the mean and the best iteration.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class MatMulBenchmark {

    @Param({"vector", "openblas"})
    public String kernel;

    @Param({"1", "2"})
    public int threads;

    @Param({"64", "128", "256", "512", "1024"})
    public int n;

    private OpenBlas openBlas;

    private double[] a;
    private double[] b;
    private double[] c;

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(42);
        a = random.doubles((long) n * n, -1, 1).toArray();
        b = random.doubles((long) n * n, -1, 1).toArray();
        c = new double[n * n];
        if (kernel.equals("openblas")) {
            openBlas = OpenBlas.load().orElseThrow(() -> new IllegalStateException(OpenBlas.missingReason()));
            openBlas.setThreads(threads);
        } else if (!kernel.equals("vector") && !kernel.equals("scalar")) {
            throw new IllegalArgumentException("MatMulBenchmark: kernel must be vector, scalar or openblas, got " + kernel);
        }
    }

    @Benchmark
    public double[] gemm() {
        switch (kernel) {
            case "scalar" -> ScalarMatMul.gemm(false, false, n, n, n, a, 0, n, b, 0, n, 0, c, 0, n);
            case "openblas" -> openBlas.gemm(n, n, n, a, b, c);
            default -> MatMul.gemm(false, false, n, n, n, a, 0, n, b, 0, n, 0, c, 0, n, threads);
        }
        return c;
    }

    /** Runs this benchmark (JMH command-line options apply, e.g. {@code -p kernel=vector}) and prints GFLOP/s. */
    public static void main(String[] args) throws RunnerException, CommandLineOptionException {
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .parent(new CommandLineOptions(args))
                .include(MatMulBenchmark.class.getName() + ".gemm")
                .build()).run();
        // The best iteration is the better guide on a shared machine, where other work slows some iterations down.
        System.out.printf("%n%-8s %7s %6s %12s %9s %14s%n", "kernel", "threads", "n", "ms/product", "GFLOP/s",
                "best GFLOP/s");
        for (RunResult result : results) {
            var params = result.getParams();
            double n = Integer.parseInt(params.getParam("n"));
            double flop = 2 * n * n * n;
            double millis = result.getPrimaryResult().getScore();
            double best = result.getPrimaryResult().getStatistics().getMin();
            System.out.printf("%-8s %7s %6.0f %12.3f %9.2f %14.2f%n", params.getParam("kernel"),
                    params.getParam("threads"), n, millis, flop / (millis * 1e6), flop / (best * 1e6));
        }
    }
}
