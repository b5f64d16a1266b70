package dev.descent.bench;

import dev.descent.core.Rng;
import dev.descent.core.Tensor;
import dev.descent.optim.*;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.openjdk.jmh.annotations.*;

/**
 * One {@code step()} of each optimizer on {@code params} parameters (ten matrices, 10 M values by default) with fixed
 * gradients, beside {@link #triad}: the cheapest loop that touches the same bytes. An update rule must read the
 * gradient and the parameter and every state buffer as long as the parameter, and write the parameter and those
 * buffers; the triad does exactly that once, {@code p += a*g} and {@code s = b*s + g} for each buffer, in one fused
 * pass. Memory bandwidth bounds both, so {@code step / triad} is how close the rule is to the cheapest possible
 * update. Issue target: at most 1.3.
 *
 * <p>The closure-only optimizers ({@code LBFGS}, {@code BacktrackingLineSearch}) and {@code Newton} evaluate the loss
 * several times per step and are not in this set.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx4g"})
public class OptimizerStepBenchmark {
    /** The optimizers measured, by the name used in {@link #optimizer}. */
    public static final Map<String, Function<List<Tensor>, Optimizer<?>>> OPTIMIZERS = new LinkedHashMap<>();

    static {
        OPTIMIZERS.put("SGD", ps -> new SGD(ps, 0.01));
        OPTIMIZERS.put("SGD-momentum", ps -> new SGD(ps, SGD.Options.lr(0.01).withMomentum(0.9)));
        OPTIMIZERS.put("SGD-nesterov", ps -> new SGD(ps, SGD.Options.lr(0.01).withMomentum(0.9).withNesterov(true)));
        OPTIMIZERS.put("Adam", Adam::new);
        OPTIMIZERS.put("Adam-amsgrad", ps -> new Adam(ps, Adam.DEFAULTS.withAmsgrad(true)));
        OPTIMIZERS.put("AdamW", AdamW::new);
        OPTIMIZERS.put("Adagrad", Adagrad::new);
        OPTIMIZERS.put("RMSprop", RMSprop::new);
        OPTIMIZERS.put("RMSprop-centered-momentum", ps -> new RMSprop(ps, RMSprop.DEFAULTS.withCentered(true).withMomentum(0.9)));
        OPTIMIZERS.put("Adadelta", Adadelta::new);
        OPTIMIZERS.put("Adamax", Adamax::new);
        OPTIMIZERS.put("NAdam", NAdam::new);
        OPTIMIZERS.put("RAdam", RAdam::new);
        OPTIMIZERS.put("ASGD", ASGD::new);
        OPTIMIZERS.put("Rprop", Rprop::new);
        OPTIMIZERS.put("Lion", Lion::new);
        OPTIMIZERS.put("AdaBelief", AdaBelief::new);
        OPTIMIZERS.put("Yogi", Yogi::new);
        OPTIMIZERS.put("LAMB", LAMB::new);
        OPTIMIZERS.put("LARS", LARS::new);
        OPTIMIZERS.put("Adafactor", Adafactor::new);
    }

    @Param({"SGD", "SGD-momentum", "SGD-nesterov", "Adam", "Adam-amsgrad", "AdamW", "Adagrad", "RMSprop",
            "RMSprop-centered-momentum", "Adadelta", "Adamax", "NAdam", "RAdam", "ASGD", "Rprop", "Lion", "AdaBelief",
            "Yogi", "LAMB", "LARS", "Adafactor"})
    public String optimizer;

    /** Total parameter count, split over ten square-ish matrices. */
    @Param({"10000000"})
    public int params;

    private Optimizer<?> opt;
    private List<Tensor> tensors;
    /** Per parameter: the parameter, its gradient, then one stand-in per full-size state buffer. */
    private double[][][] streams;

    @Setup
    public void setup() {
        var make = OPTIMIZERS.get(optimizer);
        if (make == null) {
            throw new IllegalArgumentException("OptimizerStepBenchmark: unknown optimizer " + optimizer + "; expected one of " + OPTIMIZERS.keySet());
        }
        Rng rng = new Rng(3);
        int rows = 10, perMatrix = params / rows, cols = Math.max(1, (int) Math.round(Math.sqrt(perMatrix)));
        tensors = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            Tensor p = Tensor.uniform(rng, -1, 1, Math.max(1, perMatrix / cols), cols).requiresGrad(true);
            p.setGrad(Tensor.normal(rng, 0, 1e-2, p.shape()));
            tensors.add(p);
        }
        opt = make.apply(tensors);
        opt.step(); // creates the state, so the measured steps are steady-state ones
        int buffers = fullSizeBuffers(opt, tensors.get(0).size());
        streams = new double[tensors.size()][][];
        for (int i = 0; i < tensors.size(); i++) {
            Tensor p = tensors.get(i);
            streams[i] = new double[2 + buffers][];
            streams[i][0] = p.copy().data();
            streams[i][1] = p.grad().data();
            for (int b = 0; b < buffers; b++) streams[i][2 + b] = new double[p.size()];
        }
    }

    /** The number of state buffers as long as the parameter that {@code opt} keeps for its first parameter. */
    static int fullSizeBuffers(Optimizer<?> opt, int size) {
        var state = opt.stateDict().state().get(0);
        if (state == null) return 0;
        int n = 0;
        for (double[] b : state.buffers().values()) if (b.length == size) n++;
        return n;
    }

    @Benchmark
    public double step() {
        opt.step();
        return tensors.get(0).data()[0];
    }

    @Benchmark
    public double triad() {
        double sum = 0;
        for (double[][] s : streams) sum += triad(s);
        return sum;
    }

    private static double triad(double[][] s) {
        double[] p = s[0], g = s[1];
        switch (s.length) {
            case 2 -> {
                for (int i = 0; i < p.length; i++) p[i] += -1e-9 * g[i];
            }
            case 3 -> {
                double[] a = s[2];
                for (int i = 0; i < p.length; i++) {
                    double gi = g[i];
                    a[i] = 0.9 * a[i] + gi;
                    p[i] += -1e-9 * a[i];
                }
            }
            case 4 -> {
                double[] a = s[2], b = s[3];
                for (int i = 0; i < p.length; i++) {
                    double gi = g[i];
                    a[i] = 0.9 * a[i] + gi;
                    b[i] = 0.9 * b[i] + gi;
                    p[i] += -1e-9 * (a[i] + b[i]);
                }
            }
            case 5 -> {
                double[] a = s[2], b = s[3], c = s[4];
                for (int i = 0; i < p.length; i++) {
                    double gi = g[i];
                    a[i] = 0.9 * a[i] + gi;
                    b[i] = 0.9 * b[i] + gi;
                    c[i] = 0.9 * c[i] + gi;
                    p[i] += -1e-9 * (a[i] + b[i] + c[i]);
                }
            }
            default -> {
                for (int i = 0; i < p.length; i++) {
                    double gi = g[i], u = 0;
                    for (int k = 2; k < s.length; k++) {
                        s[k][i] = 0.9 * s[k][i] + gi;
                        u += s[k][i];
                    }
                    p[i] += -1e-9 * u;
                }
            }
        }
        return p[0];
    }
}
