package dev.descent.bench;

import java.util.List;
import java.util.Locale;

/**
 * Each optimizer's step against its triad ({@link OptimizerStepBenchmark}) with the two {@linkplain Alternated
 * alternated}, call by call, in one JVM: JMH times all the steps, then all the triads, minutes apart, and on a shared
 * machine the two sides then drift apart by more than the targets' margin (the same SGD step measured 1.48 and 2.01
 * times its triad in two runs of the same code). Prints one JSON line per optimizer: the median of the per-pair
 * ratios (step over triad, lower is better), their range, and each side's median time in milliseconds.
 * {@code run.sh optim} runs it on one processor and the table's verdict is its ratio, the JMH rows' in the note.
 *
 * <p>Arguments: {@code [scale [optimizer ...]]}: 1 = the default pair count and size, 10 M parameters (the smoke
 * test and {@code run.sh} with {@code QUICK} pass a small one); the optimizers default to all of
 * {@link OptimizerStepBenchmark#OPTIMIZERS}.
 */
public final class InterleavedOptimizers {
    private InterleavedOptimizers() {}

    /** {@code pairs} alternated pairs of one step and one triad of {@code optimizer} on {@code params} parameters. */
    static String measure(String optimizer, int params, int pairs) {
        var b = new OptimizerStepBenchmark();
        b.optimizer = optimizer;
        b.params = params;
        b.setup();
        Alternated r = Alternated.measure(b::step, b::triad, pairs);
        return String.format(Locale.ROOT, "{\"optimizer\": \"%s\", \"params\": %d, %s, \"step_ms\": %.4f, \"triad_ms\": %.4f}",
                optimizer, params, r.ratioJson(), r.numeratorNanos() / 1e6, r.denominatorNanos() / 1e6);
    }

    public static void main(String[] args) {
        double scale = args.length > 0 ? Double.parseDouble(args[0]) : 1;
        List<String> names = args.length > 1 ? List.of(args).subList(1, args.length) : List.copyOf(OptimizerStepBenchmark.OPTIMIZERS.keySet());
        int params = Math.max(1000, (int) Math.round(scale * 10_000_000)), pairs = Math.max(3, (int) Math.round(scale * 40));
        for (String name : names) System.out.println(measure(name, params, pairs));
    }
}
