package dev.descent.core.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API version of {@link PoolKernels#argmax2x2}: {@code L} consecutive windows of a plane (in output
 * order, across output rows) at once, their four elements gathered through a map of the windows' top-left offsets and
 * compared lane by lane in the reference's order with the reference's rule ({@code v > best} or {@code v} NaN). A
 * plane whose window count is not a multiple of {@code L} ends with the last {@code L} windows, some of them computed
 * a second time (to the same result); a plane of fewer than {@code L} windows runs the reference loop. Loading this
 * class requires the {@code jdk.incubator.vector} module.
 */
final class VectorPoolKernels {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private VectorPoolKernels() {}

    static void argmax2x2(double[] x, int h, int w, int fromPlane, int toPlane, double[] index, int[] pos) {
        int oh = h / 2, ow = w / 2, windows = oh * ow;
        if (windows < L) {
            PoolKernels.scalarArgmax2x2(x, h, w, fromPlane, toPlane, index, pos);
            return;
        }
        // each window's top-left offset in its plane, as the gather map and as the index it would give
        int[] map = new int[windows];
        double[] first = new double[windows];
        for (int i = 0, o = 0; i < oh; i++) {
            for (int j = 0; j < ow; j++, o++) {
                map[o] = 2 * i * w + 2 * j;
                first[o] = map[o];
            }
        }
        for (int pl = fromPlane; pl < toPlane; pl++) {
            int base = pl * h * w, at = pl * windows;
            for (int o = 0; o < windows; o += L) {
                int q = Math.min(o, windows - L);
                DoubleVector arg = DoubleVector.fromArray(S, first, q), best = DoubleVector.fromArray(S, x, base, map, q);
                DoubleVector v = DoubleVector.fromArray(S, x, base + 1, map, q);
                VectorMask<Double> take = v.compare(VectorOperators.GT, best).or(v.test(VectorOperators.IS_NAN));
                best = best.blend(v, take);
                DoubleVector chosen = arg.blend(arg.add(1), take);
                v = DoubleVector.fromArray(S, x, base + w, map, q);
                take = v.compare(VectorOperators.GT, best).or(v.test(VectorOperators.IS_NAN));
                best = best.blend(v, take);
                chosen = chosen.blend(arg.add(w), take);
                v = DoubleVector.fromArray(S, x, base + w + 1, map, q);
                take = v.compare(VectorOperators.GT, best).or(v.test(VectorOperators.IS_NAN));
                chosen = chosen.blend(arg.add(w + 1), take);
                chosen.intoArray(index, at + q);
            }
            for (int o = at, end = at + windows; o < end; o++) pos[o] = base + (int) index[o];
        }
    }
}
