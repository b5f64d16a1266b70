package dev.descent.bench;

import java.util.Arrays;
import java.util.Locale;

/**
 * Two calls timed alternately, call by call, in one JVM: on a shared machine whose speed drifts within seconds, JMH
 * times two benchmarks minutes apart, while here each ratio compares two neighbouring calls, and each call goes first
 * in every other pair, so that whatever the first call of a pair leaves in the caches favours neither. The result is
 * the median of the per-pair ratios with their range, and each side's median time. {@link InterleavedMatMul} and
 * {@link InterleavedOptimizers} measure with it.
 *
 * @param ratio the median over the pairs of {@code numerator}'s time over {@code denominator}'s
 * @param numeratorNanos {@code numerator}'s median time per call
 * @param denominatorNanos {@code denominator}'s median time per call
 */
record Alternated(double ratio, double ratioMin, double ratioMax, double numeratorNanos, double denominatorNanos) {
    /** {@code pairs} alternated pairs of calls, after as many warm-up pairs; each call goes first in every other pair. */
    static Alternated measure(Runnable numerator, Runnable denominator, int pairs) {
        if (pairs < 1) throw new IllegalArgumentException("Alternated: expected pairs >= 1, got " + pairs);
        double[] ratios = new double[pairs], top = new double[pairs], bottom = new double[pairs];
        for (int r = -pairs; r < pairs; r++) {
            boolean numeratorFirst = (r & 1) == 0;
            long t0 = System.nanoTime();
            if (!numeratorFirst) denominator.run();
            long t1 = System.nanoTime();
            numerator.run();
            long t2 = System.nanoTime();
            if (numeratorFirst) denominator.run();
            long t3 = System.nanoTime();
            if (r < 0) continue; // warm-up
            top[r] = t2 - t1;
            bottom[r] = numeratorFirst ? t3 - t2 : t1 - t0;
            ratios[r] = top[r] / bottom[r];
        }
        return new Alternated(median(ratios), Arrays.stream(ratios).min().orElseThrow(), Arrays.stream(ratios).max().orElseThrow(),
                median(top), median(bottom));
    }

    /** {@code "ratio": .., "ratio_min": .., "ratio_max": ..}, for a JSON line. */
    String ratioJson() {
        return String.format(Locale.ROOT, "\"ratio\": %.4f, \"ratio_min\": %.4f, \"ratio_max\": %.4f", ratio, ratioMin, ratioMax);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
