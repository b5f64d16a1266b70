package dev.descent.optim;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API versions of the update rules' loops, over {@link DoubleVector#SPECIES_PREFERRED}; the last {@code n % L}
 * elements ({@code L} the number of lanes) go through the rule's scalar reference loop.
 *
 * <p>Each kernel does, lane by lane, the same IEEE operations in the same order as its reference (the static
 * {@code update} loop of the rule's class, which is the specification), with no fused multiply-add, so the results are
 * bit-identical to it for any vector width. {@link Math#signum} is written out with masks (zero and NaN stay as they
 * are); {@code min}, {@code max} and {@code abs} are the lanewise versions of {@link Math}'s. Like the references,
 * each kernel returns the largest magnitude it wrote into the parameter, found on the bits: with the sign bit
 * cleared, the bit patterns of finite doubles, read as longs, are ordered as their magnitudes.
 *
 * <p><b>Loading this class requires the {@code jdk.incubator.vector} module</b>; the rules call it only when
 * {@link Optimizer#vectorKernels()} says so.
 */
final class VectorUpdates {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Long> LS = S.withLanes(long.class);
    private static final int L = S.length();
    /** Vectors per block of {@link Sums8#WIDTH} elements in the reductions (1, 2 or 4); the loops drop the unused branches. */
    private static final int K = Sums8.WIDTH / Math.max(1, L);
    /** Whether {@link Sums8}'s partial sums fit whole vectors; otherwise the reductions run their references. */
    static final boolean SUMS_FIT = L >= 2 && L <= Sums8.WIDTH;

    private VectorUpdates() {}

    /** The magnitude bits of each lane. */
    private static LongVector magnitude(DoubleVector x) {
        return ((LongVector) x.viewAsIntegralLanes()).and(Long.MAX_VALUE);
    }

    /** The largest magnitude, from the running maximum of {@link #magnitude} bits and the tail's largest. */
    private static double largest(LongVector bits, double tail) {
        return Math.max(Double.longBitsToDouble(bits.reduceLanes(VectorOperators.MAX)), tail);
    }

    /** {@link Math#signum} per lane: 1 above zero, -1 below, the value itself for zeros and NaN. */
    private static DoubleVector signum(DoubleVector x) {
        return x.blend(1.0, x.compare(VectorOperators.GT, 0.0)).blend(-1.0, x.compare(VectorOperators.LT, 0.0));
    }

    /** {@link SGD#update(double[], double[], double[], int, int, double, double, double, double, boolean, boolean, boolean)}. */
    static double sgd(double[] p, double[] g, double[] b, int n, double lr, double mu, double wd, double keep, boolean first, boolean nesterov,
                      boolean maximize) {
        LongVector big = LongVector.zero(LS);
        double nlr = -lr;
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += L) {
            DoubleVector pv = DoubleVector.fromArray(S, p, i), d = DoubleVector.fromArray(S, g, i);
            if (maximize) d = d.neg();
            if (wd != 0) d = d.add(pv.mul(wd));
            if (b != null) {
                DoubleVector bv = first ? d : DoubleVector.fromArray(S, b, i).mul(mu).add(d.mul(keep));
                bv.intoArray(b, i);
                d = nesterov ? d.add(bv.mul(mu)) : bv;
            }
            pv = pv.add(d.mul(nlr));
            pv.intoArray(p, i);
            big = big.max(magnitude(pv));
        }
        return largest(big, SGD.update(p, g, b, i, n, lr, mu, wd, keep, first, nesterov, maximize));
    }

    /** {@link Adam#update(double[], double[], double[], double[], double[], int, int, double, double, double, double, double, double, double, double, boolean)}. */
    static double adam(double[] p, double[] g, double[] m, double[] v, double[] vMax, int n, double b1, double b2, double eps, double stepSize,
                       double biasCorrection2Sqrt, double coupledDecay, double decoupledDecay, double shrink, boolean maximize) {
        LongVector big = LongVector.zero(LS);
        double c1 = 1 - b1, c2 = 1 - b2, nstep = -stepSize * biasCorrection2Sqrt, epsScaled = eps * biasCorrection2Sqrt;
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += L) {
            DoubleVector pv = DoubleVector.fromArray(S, p, i), d = DoubleVector.fromArray(S, g, i);
            if (maximize) d = d.neg();
            if (decoupledDecay != 0) pv = pv.mul(shrink);
            if (coupledDecay != 0) d = d.add(pv.mul(coupledDecay));
            DoubleVector mv = DoubleVector.fromArray(S, m, i).mul(b1).add(d.mul(c1));
            DoubleVector vv = DoubleVector.fromArray(S, v, i).mul(b2).add(d.mul(c2).mul(d));
            mv.intoArray(m, i);
            vv.intoArray(v, i);
            DoubleVector second = vv;
            if (vMax != null) {
                second = DoubleVector.fromArray(S, vMax, i).max(vv);
                second.intoArray(vMax, i);
            }
            pv = pv.add(mv.mul(nstep).div(second.sqrt().add(epsScaled)));
            pv.intoArray(p, i);
            big = big.max(magnitude(pv));
        }
        return largest(big, Adam.update(p, g, m, v, vMax, i, n, b1, b2, eps, stepSize, biasCorrection2Sqrt, coupledDecay, decoupledDecay, shrink,
                maximize));
    }

    /** {@link Adagrad#update(double[], double[], double[], int, int, double, double, double, boolean)}. */
    static double adagrad(double[] p, double[] g, double[] sum, int n, double wd, double eps, double clr, boolean maximize) {
        LongVector big = LongVector.zero(LS);
        double nclr = -clr;
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += L) {
            DoubleVector pv = DoubleVector.fromArray(S, p, i), d = DoubleVector.fromArray(S, g, i);
            if (maximize) d = d.neg();
            if (wd != 0) d = d.add(pv.mul(wd));
            DoubleVector sv = DoubleVector.fromArray(S, sum, i).add(d.mul(d));
            sv.intoArray(sum, i);
            pv = pv.add(d.mul(nclr).div(sv.sqrt().add(eps)));
            pv.intoArray(p, i);
            big = big.max(magnitude(pv));
        }
        return largest(big, Adagrad.update(p, g, sum, i, n, wd, eps, clr, maximize));
    }

    /** {@link RMSprop#update(double[], double[], double[], double[], double[], int, int, double, double, double, double, double, boolean)}. */
    static double rmsprop(double[] p, double[] g, double[] sq, double[] avg, double[] buf, int n, double lr, double alpha, double eps, double wd,
                          double mu, boolean maximize) {
        LongVector big = LongVector.zero(LS);
        double c = 1 - alpha, nlr = -lr;
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += L) {
            DoubleVector pv = DoubleVector.fromArray(S, p, i), d = DoubleVector.fromArray(S, g, i);
            if (maximize) d = d.neg();
            if (wd != 0) d = d.add(pv.mul(wd));
            DoubleVector sv = DoubleVector.fromArray(S, sq, i).mul(alpha).add(d.mul(c).mul(d));
            sv.intoArray(sq, i);
            DoubleVector var = sv;
            if (avg != null) {
                DoubleVector av = DoubleVector.fromArray(S, avg, i).mul(alpha).add(d.mul(c));
                av.intoArray(avg, i);
                var = var.add(av.neg().mul(av));
            }
            DoubleVector denom = var.max(0.0).sqrt().add(eps);
            if (buf != null) {
                DoubleVector bv = DoubleVector.fromArray(S, buf, i).mul(mu).add(d.div(denom));
                bv.intoArray(buf, i);
                pv = pv.add(bv.mul(nlr));
            } else {
                pv = pv.add(d.mul(nlr).div(denom));
            }
            pv.intoArray(p, i);
            big = big.max(magnitude(pv));
        }
        return largest(big, RMSprop.update(p, g, sq, avg, buf, i, n, lr, alpha, eps, wd, mu, maximize));
    }

    /** {@link Adadelta#update(double[], double[], double[], double[], int, int, double, double, double, double, boolean)}. */
    static double adadelta(double[] p, double[] g, double[] v, double[] u, int n, double lr, double rho, double eps, double wd, boolean maximize) {
        LongVector big = LongVector.zero(LS);
        double c = 1 - rho, nlr = -lr;
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += L) {
            DoubleVector pv = DoubleVector.fromArray(S, p, i), d = DoubleVector.fromArray(S, g, i);
            if (maximize) d = d.neg();
            if (wd != 0) d = d.add(pv.mul(wd));
            DoubleVector vv = DoubleVector.fromArray(S, v, i).mul(rho).add(d.mul(c).mul(d));
            vv.intoArray(v, i);
            DoubleVector uv = DoubleVector.fromArray(S, u, i);
            DoubleVector delta = uv.add(eps).div(vv.add(eps)).sqrt().mul(d);
            uv.mul(rho).add(delta.mul(c).mul(delta)).intoArray(u, i);
            pv = pv.add(delta.mul(nlr));
            pv.intoArray(p, i);
            big = big.max(magnitude(pv));
        }
        return largest(big, Adadelta.update(p, g, v, u, i, n, lr, rho, eps, wd, maximize));
    }

    /** {@link Adamax#update(double[], double[], double[], double[], int, int, double, double, double, double, double, boolean)}. */
    static double adamax(double[] p, double[] g, double[] m, double[] u, int n, double b1, double b2, double eps, double wd, double clr,
                         boolean maximize) {
        LongVector big = LongVector.zero(LS);
        double c1 = 1 - b1, nclr = -clr;
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += L) {
            DoubleVector pv = DoubleVector.fromArray(S, p, i), d = DoubleVector.fromArray(S, g, i);
            if (maximize) d = d.neg();
            if (wd != 0) d = d.add(pv.mul(wd));
            DoubleVector mv = DoubleVector.fromArray(S, m, i).mul(b1).add(d.mul(c1));
            mv.intoArray(m, i);
            DoubleVector uv = DoubleVector.fromArray(S, u, i).mul(b2).max(d.abs().add(eps));
            uv.intoArray(u, i);
            pv = pv.add(mv.mul(nclr).div(uv));
            pv.intoArray(p, i);
            big = big.max(magnitude(pv));
        }
        return largest(big, Adamax.update(p, g, m, u, i, n, b1, b2, eps, wd, clr, maximize));
    }

    /** {@link NAdam#update(double[], double[], double[], double[], int, int, double, double, double, double, double, double)}. */
    static double nadam(double[] p, double[] g, double[] m, double[] v, int n, double b1, double b2, double wd,
                        double gradStep, double momentumStep, double denomEps) {
        LongVector big = LongVector.zero(LS);
        double c1 = 1 - b1, c2 = 1 - b2;
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += L) {
            DoubleVector pv = DoubleVector.fromArray(S, p, i), d = DoubleVector.fromArray(S, g, i);
            if (wd != 0) d = d.add(pv.mul(wd));
            DoubleVector mv = DoubleVector.fromArray(S, m, i).mul(b1).add(d.mul(c1));
            DoubleVector vv = DoubleVector.fromArray(S, v, i).mul(b2).add(d.mul(c2).mul(d));
            mv.intoArray(m, i);
            vv.intoArray(v, i);
            pv = pv.add(d.mul(gradStep).add(mv.mul(momentumStep)).div(vv.sqrt().add(denomEps)));
            pv.intoArray(p, i);
            big = big.max(magnitude(pv));
        }
        return largest(big, NAdam.update(p, g, m, v, i, n, b1, b2, wd, gradStep, momentumStep, denomEps));
    }

    /** {@link RAdam#update(double[], double[], double[], double[], int, int, double, double, double, double, double, boolean)}. */
    static double radam(double[] p, double[] g, double[] m, double[] v, int n, double b1, double b2, double eps, double wd,
                        double step, boolean rectify) {
        LongVector big = LongVector.zero(LS);
        double c1 = 1 - b1, c2 = 1 - b2;
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += L) {
            DoubleVector pv = DoubleVector.fromArray(S, p, i), d = DoubleVector.fromArray(S, g, i);
            if (wd != 0) d = d.add(pv.mul(wd));
            DoubleVector mv = DoubleVector.fromArray(S, m, i).mul(b1).add(d.mul(c1));
            DoubleVector vv = DoubleVector.fromArray(S, v, i).mul(b2).add(d.mul(c2).mul(d));
            mv.intoArray(m, i);
            vv.intoArray(v, i);
            if (rectify) pv = pv.sub(mv.mul(step).div(vv.sqrt().add(eps)));
            else pv = pv.sub(mv.mul(step));
            pv.intoArray(p, i);
            big = big.max(magnitude(pv));
        }
        return largest(big, RAdam.update(p, g, m, v, i, n, b1, b2, eps, wd, step, rectify));
    }

    /** {@link ASGD#update(double[], double[], double[], int, int, double, double, double, double, boolean)}. */
    static double asgd(double[] p, double[] g, double[] ax, int n, double eta, double mu, double wd, double shrink, boolean maximize) {
        LongVector big = LongVector.zero(LS);
        double neta = -eta;
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += L) {
            DoubleVector pv = DoubleVector.fromArray(S, p, i), d = DoubleVector.fromArray(S, g, i);
            if (maximize) d = d.neg();
            if (wd != 0) d = d.add(pv.mul(wd));
            pv = pv.mul(shrink).add(d.mul(neta));
            pv.intoArray(p, i);
            if (mu != 1) {
                DoubleVector av = DoubleVector.fromArray(S, ax, i);
                av.add(pv.sub(av).mul(mu)).intoArray(ax, i);
            }
            big = big.max(magnitude(pv));
        }
        // ax = θ, the average while mu is 1, copied afterwards: a stream the loop only wrote measured 1.6 times slower
        // than the loop plus this copy (the hardware prefetches streams that are read)
        if (mu == 1) System.arraycopy(p, 0, ax, 0, i);
        return largest(big, ASGD.update(p, g, ax, i, n, eta, mu, wd, shrink, maximize));
    }

    /** {@link Rprop#update(double[], double[], double[], double[], int, int, double, double, double, double, boolean)}. */
    static double rprop(double[] p, double[] g, double[] prev, double[] step, int n, double etaMinus, double etaPlus, double stepSizeMin,
                        double stepSizeMax, boolean maximize) {
        LongVector big = LongVector.zero(LS);
        DoubleVector one = DoubleVector.broadcast(S, 1.0);
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += L) {
            DoubleVector pv = DoubleVector.fromArray(S, p, i), d = DoubleVector.fromArray(S, g, i);
            if (maximize) d = d.neg();
            DoubleVector agreement = d.mul(DoubleVector.fromArray(S, prev, i));
            var agree = agreement.compare(VectorOperators.GT, 0.0);
            var disagree = agreement.compare(VectorOperators.LT, 0.0);
            DoubleVector eta = one.blend(etaPlus, agree).blend(etaMinus, disagree);
            DoubleVector sv = DoubleVector.fromArray(S, step, i).mul(eta).max(stepSizeMin).min(stepSizeMax);
            sv.intoArray(step, i);
            d = d.blend(0.0, disagree);
            pv = pv.add(signum(d).neg().mul(sv));
            pv.intoArray(p, i);
            d.intoArray(prev, i);
            big = big.max(magnitude(pv));
        }
        return largest(big, Rprop.update(p, g, prev, step, i, n, etaMinus, etaPlus, stepSizeMin, stepSizeMax, maximize));
    }

    /** {@link Lion#update(double[], double[], double[], int, int, double, double, double, double, boolean)}. */
    static double lion(double[] p, double[] g, double[] m, int n, double lr, double b1, double b2, double wd, boolean maximize) {
        LongVector big = LongVector.zero(LS);
        double c1 = 1 - b1, c2 = 1 - b2;
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += L) {
            DoubleVector pv = DoubleVector.fromArray(S, p, i), d = DoubleVector.fromArray(S, g, i);
            if (maximize) d = d.neg();
            DoubleVector mv = DoubleVector.fromArray(S, m, i);
            pv = pv.sub(signum(mv.mul(b1).add(d.mul(c1))).add(pv.mul(wd)).mul(lr));
            pv.intoArray(p, i);
            mv.mul(b2).add(d.mul(c2)).intoArray(m, i);
            big = big.max(magnitude(pv));
        }
        return largest(big, Lion.update(p, g, m, i, n, lr, b1, b2, wd, maximize));
    }

    /** {@link AdaBelief#update(double[], double[], double[], double[], int, int, double, double, double, double, double, double)}. */
    static double adaBelief(double[] p, double[] g, double[] m, double[] v, int n, double b1, double b2, double eps, double step,
                            double denomEps, double shrink) {
        LongVector big = LongVector.zero(LS);
        double c1 = 1 - b1, c2 = 1 - b2;
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += L) {
            DoubleVector pv = DoubleVector.fromArray(S, p, i), gv = DoubleVector.fromArray(S, g, i);
            if (shrink != 1) pv = pv.mul(shrink);
            DoubleVector mv = DoubleVector.fromArray(S, m, i).mul(b1).add(gv.mul(c1));
            mv.intoArray(m, i);
            DoubleVector diff = gv.sub(mv);
            DoubleVector vv = DoubleVector.fromArray(S, v, i).mul(b2).add(diff.mul(c2).mul(diff)).add(eps);
            vv.intoArray(v, i);
            pv = pv.sub(mv.mul(step).div(vv.sqrt().add(denomEps)));
            pv.intoArray(p, i);
            big = big.max(magnitude(pv));
        }
        return largest(big, AdaBelief.update(p, g, m, v, i, n, b1, b2, eps, step, denomEps, shrink));
    }

    /** {@link Yogi#update(double[], double[], double[], double[], int, int, double, double, double, double)}. */
    static double yogi(double[] p, double[] g, double[] m, double[] v, int n, double b1, double b2, double eps, double lr) {
        LongVector big = LongVector.zero(LS);
        double c1 = 1 - b1, c2 = 1 - b2;
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += L) {
            DoubleVector pv = DoubleVector.fromArray(S, p, i), gv = DoubleVector.fromArray(S, g, i);
            DoubleVector g2 = gv.mul(gv);
            DoubleVector mv = DoubleVector.fromArray(S, m, i).mul(b1).add(gv.mul(c1));
            mv.intoArray(m, i);
            DoubleVector vv = DoubleVector.fromArray(S, v, i);
            vv = vv.sub(signum(vv.sub(g2)).mul(c2).mul(g2));
            vv.intoArray(v, i);
            pv = pv.sub(mv.mul(lr).div(vv.sqrt().add(eps)));
            pv.intoArray(p, i);
            big = big.max(magnitude(pv));
        }
        return largest(big, Yogi.update(p, g, m, v, i, n, b1, b2, eps, lr));
    }

    /** Stores the reduction accumulators into {@code partials[off, off + 8)} (they hold partial sums 0 to 7 in order). */
    private static void store(DoubleVector a0, DoubleVector a1, DoubleVector a2, DoubleVector a3, double[] partials, int off) {
        a0.add(DoubleVector.fromArray(S, partials, off)).intoArray(partials, off);
        if (K >= 2) a1.add(DoubleVector.fromArray(S, partials, off + L)).intoArray(partials, off + L);
        if (K >= 4) {
            a2.add(DoubleVector.fromArray(S, partials, off + 2 * L)).intoArray(partials, off + 2 * L);
            a3.add(DoubleVector.fromArray(S, partials, off + 3 * L)).intoArray(partials, off + 3 * L);
        }
    }

    /** {@link Sums8#addSquares}. */
    static void addSquares(double[] x, int n, double[] partials, int off) {
        if (!SUMS_FIT) {
            Sums8.addSquares(x, 0, n, partials, off);
            return;
        }
        DoubleVector a0 = DoubleVector.zero(S), a1 = a0, a2 = a0, a3 = a0;
        int i = 0;
        for (int end = n - n % Sums8.WIDTH; i < end; i += Sums8.WIDTH) {
            DoubleVector x0 = DoubleVector.fromArray(S, x, i);
            a0 = a0.add(x0.mul(x0));
            if (K >= 2) {
                DoubleVector x1 = DoubleVector.fromArray(S, x, i + L);
                a1 = a1.add(x1.mul(x1));
            }
            if (K >= 4) {
                DoubleVector x2 = DoubleVector.fromArray(S, x, i + 2 * L), x3 = DoubleVector.fromArray(S, x, i + 3 * L);
                a2 = a2.add(x2.mul(x2));
                a3 = a3.add(x3.mul(x3));
            }
        }
        store(a0, a1, a2, a3, partials, off);
        Sums8.addSquares(x, i, n, partials, off);
    }

    /** {@link LARS#maxAbsAndSquares}: NaN if an element is NaN (its magnitude bits lie above infinity's). */
    static double maxAbsAndSquares(double[] g, int n, double[] partials, int off) {
        if (!SUMS_FIT) return LARS.maxAbsAndSquares(g, 0, n, partials, off);
        DoubleVector a0 = DoubleVector.zero(S), a1 = a0, a2 = a0, a3 = a0;
        LongVector big = LongVector.zero(LS);
        int i = 0;
        for (int end = n - n % Sums8.WIDTH; i < end; i += Sums8.WIDTH) {
            DoubleVector x0 = DoubleVector.fromArray(S, g, i);
            a0 = a0.add(x0.mul(x0));
            big = big.max(magnitude(x0));
            if (K >= 2) {
                DoubleVector x1 = DoubleVector.fromArray(S, g, i + L);
                a1 = a1.add(x1.mul(x1));
                big = big.max(magnitude(x1));
            }
            if (K >= 4) {
                DoubleVector x2 = DoubleVector.fromArray(S, g, i + 2 * L), x3 = DoubleVector.fromArray(S, g, i + 3 * L);
                a2 = a2.add(x2.mul(x2));
                a3 = a3.add(x3.mul(x3));
                big = big.max(magnitude(x2)).max(magnitude(x3));
            }
        }
        store(a0, a1, a2, a3, partials, off);
        double m = Double.longBitsToDouble(big.reduceLanes(VectorOperators.MAX));
        if (Double.isNaN(m)) return Double.NaN;
        double tail = LARS.maxAbsAndSquares(g, i, n, partials, off);
        return Double.isNaN(tail) ? Double.NaN : Math.max(m, tail);
    }

    /** One vector of {@link LARS#update(double[], double[], double[], int, int, double, double, double, double[], int)}: writes v and θ, returns the new θ. */
    private static DoubleVector lars(double[] p, double[] g, double[] v, int i, double mu, double rate, double wd) {
        DoubleVector pv = DoubleVector.fromArray(S, p, i);
        DoubleVector vv = DoubleVector.fromArray(S, v, i).mul(mu).add(DoubleVector.fromArray(S, g, i).add(pv.mul(wd)).mul(rate));
        vv.intoArray(v, i);
        pv = pv.sub(vv);
        pv.intoArray(p, i);
        return pv;
    }

    /** {@link LARS#update(double[], double[], double[], int, int, double, double, double, double[], int)}. */
    static double lars(double[] p, double[] g, double[] v, int n, double mu, double rate, double wd, double[] partials, int off) {
        if (!SUMS_FIT) return LARS.update(p, g, v, 0, n, mu, rate, wd, partials, off);
        DoubleVector a0 = DoubleVector.zero(S), a1 = a0, a2 = a0, a3 = a0;
        LongVector big = LongVector.zero(LS);
        int i = 0;
        for (int end = n - n % Sums8.WIDTH; i < end; i += Sums8.WIDTH) {
            DoubleVector x0 = lars(p, g, v, i, mu, rate, wd);
            a0 = a0.add(x0.mul(x0));
            big = big.max(magnitude(x0));
            if (K >= 2) {
                DoubleVector x1 = lars(p, g, v, i + L, mu, rate, wd);
                a1 = a1.add(x1.mul(x1));
                big = big.max(magnitude(x1));
            }
            if (K >= 4) {
                DoubleVector x2 = lars(p, g, v, i + 2 * L, mu, rate, wd), x3 = lars(p, g, v, i + 3 * L, mu, rate, wd);
                a2 = a2.add(x2.mul(x2));
                a3 = a3.add(x3.mul(x3));
                big = big.max(magnitude(x2)).max(magnitude(x3));
            }
        }
        store(a0, a1, a2, a3, partials, off);
        return largest(big, LARS.update(p, g, v, i, n, mu, rate, wd, partials, off));
    }

    /** One vector of {@link LAMB#moments}: writes m, v and r, returns r. */
    private static DoubleVector lambMoments(double[] p, double[] g, double[] m, double[] v, double[] r, int i, double b1, double b2, double bc1,
                                            double bc2, double eps, double wd) {
        DoubleVector gv = DoubleVector.fromArray(S, g, i);
        DoubleVector mv = DoubleVector.fromArray(S, m, i).mul(b1).add(gv.mul(1 - b1));
        DoubleVector vv = DoubleVector.fromArray(S, v, i).mul(b2).add(gv.mul(1 - b2).mul(gv));
        mv.intoArray(m, i);
        vv.intoArray(v, i);
        DoubleVector rv = mv.div(bc1).div(vv.div(bc2).sqrt().add(eps)).add(DoubleVector.fromArray(S, p, i).mul(wd));
        rv.intoArray(r, i);
        return rv;
    }

    /** {@link LAMB#moments}. */
    static void lambMoments(double[] p, double[] g, double[] m, double[] v, double[] r, int n, double b1, double b2, double bc1, double bc2,
                            double eps, double wd, boolean paramNorm, double[] partials) {
        if (!SUMS_FIT) {
            LAMB.moments(p, g, m, v, r, 0, n, b1, b2, bc1, bc2, eps, wd, paramNorm, partials);
            return;
        }
        DoubleVector a0 = DoubleVector.zero(S), a1 = a0, a2 = a0, a3 = a0;
        int i = 0, end = n - n % Sums8.WIDTH;
        for (; i < end; i += Sums8.WIDTH) {
            DoubleVector r0 = lambMoments(p, g, m, v, r, i, b1, b2, bc1, bc2, eps, wd);
            a0 = a0.add(r0.mul(r0));
            if (K >= 2) {
                DoubleVector r1 = lambMoments(p, g, m, v, r, i + L, b1, b2, bc1, bc2, eps, wd);
                a1 = a1.add(r1.mul(r1));
            }
            if (K >= 4) {
                DoubleVector r2 = lambMoments(p, g, m, v, r, i + 2 * L, b1, b2, bc1, bc2, eps, wd);
                DoubleVector r3 = lambMoments(p, g, m, v, r, i + 3 * L, b1, b2, bc1, bc2, eps, wd);
                a2 = a2.add(r2.mul(r2));
                a3 = a3.add(r3.mul(r3));
            }
        }
        store(a0, a1, a2, a3, partials, 0);
        if (paramNorm) addSquares(p, end, partials, Sums8.WIDTH);
        LAMB.moments(p, g, m, v, r, end, n, b1, b2, bc1, bc2, eps, wd, paramNorm, partials);
    }

    /** One vector of {@link LAMB#apply}: writes θ and returns it. */
    private static DoubleVector lambApply(double[] p, double[] r, int i, double step) {
        DoubleVector pv = DoubleVector.fromArray(S, p, i).sub(DoubleVector.fromArray(S, r, i).mul(step));
        pv.intoArray(p, i);
        return pv;
    }

    /** {@link LAMB#apply}. */
    static double lambApply(double[] p, double[] r, int n, double step, double[] partials) {
        if (!SUMS_FIT) return LAMB.apply(p, r, 0, n, step, partials);
        DoubleVector a0 = DoubleVector.zero(S), a1 = a0, a2 = a0, a3 = a0;
        LongVector big = LongVector.zero(LS);
        int i = 0;
        for (int end = n - n % Sums8.WIDTH; i < end; i += Sums8.WIDTH) {
            DoubleVector x0 = lambApply(p, r, i, step);
            a0 = a0.add(x0.mul(x0));
            big = big.max(magnitude(x0));
            if (K >= 2) {
                DoubleVector x1 = lambApply(p, r, i + L, step);
                a1 = a1.add(x1.mul(x1));
                big = big.max(magnitude(x1));
            }
            if (K >= 4) {
                DoubleVector x2 = lambApply(p, r, i + 2 * L, step);
                DoubleVector x3 = lambApply(p, r, i + 3 * L, step);
                a2 = a2.add(x2.mul(x2));
                a3 = a3.add(x3.mul(x3));
                big = big.max(magnitude(x2)).max(magnitude(x3));
            }
        }
        store(a0, a1, a2, a3, partials, 0);
        return largest(big, LAMB.apply(p, r, i, n, step, partials));
    }

    /** {@link Adafactor#scanRow} over a whole row of {@code cols} elements at {@code off}. */
    static double adafactorScanRow(double[] g, double[] p, int off, int cols, double eps1, double[] colSums, double[] partials) {
        if (!SUMS_FIT) return Adafactor.scanRow(g, p, off, 0, cols, eps1, colSums, partials);
        DoubleVector a0 = DoubleVector.zero(S), a1 = a0, a2 = a0, a3 = a0;
        LongVector big = LongVector.zero(LS);
        int j = 0, end = cols - cols % Sums8.WIDTH;
        for (; j < end; j += Sums8.WIDTH) {
            for (int k = 0; k < K; k++) {
                int at = j + k * L;
                DoubleVector gv = DoubleVector.fromArray(S, g, off + at);
                DoubleVector term = gv.mul(gv).add(eps1);
                big = big.max(magnitude(gv));
                DoubleVector.fromArray(S, colSums, at).add(term).intoArray(colSums, at);
                if (k == 0) a0 = a0.add(term);
                else if (k == 1) a1 = a1.add(term);
                else if (k == 2) a2 = a2.add(term);
                else a3 = a3.add(term);
            }
        }
        store(a0, a1, a2, a3, partials, 0);
        if (p != null) {
            DoubleVector q0 = DoubleVector.zero(S), q1 = q0, q2 = q0, q3 = q0;
            for (int i = 0; i < end; i += Sums8.WIDTH) {
                DoubleVector x0 = DoubleVector.fromArray(S, p, off + i);
                q0 = q0.add(x0.mul(x0));
                if (K >= 2) {
                    DoubleVector x1 = DoubleVector.fromArray(S, p, off + i + L);
                    q1 = q1.add(x1.mul(x1));
                }
                if (K >= 4) {
                    DoubleVector x2 = DoubleVector.fromArray(S, p, off + i + 2 * L), x3 = DoubleVector.fromArray(S, p, off + i + 3 * L);
                    q2 = q2.add(x2.mul(x2));
                    q3 = q3.add(x3.mul(x3));
                }
            }
            store(q0, q1, q2, q3, partials, Sums8.WIDTH);
        }
        double m = Double.longBitsToDouble(big.reduceLanes(VectorOperators.MAX));
        if (Double.isNaN(m)) return Double.NaN;
        double tail = Adafactor.scanRow(g, p, off, end, cols, eps1, colSums, partials);
        return Double.isNaN(tail) ? Double.NaN : Math.max(m, tail);
    }

    /** {@link Adafactor#weighRow} over a whole row. */
    static void adafactorWeighRow(double[] g, int off, int cols, double inverseRow, double[] w) {
        int j = 0;
        for (int end = S.loopBound(cols); j < end; j += L) {
            DoubleVector gv = DoubleVector.fromArray(S, g, off + j);
            DoubleVector.fromArray(S, w, j).add(gv.mul(gv).mul(inverseRow)).intoArray(w, j);
        }
        Adafactor.weighRow(g, off, j, cols, inverseRow, w);
    }

    /** {@link Adafactor#applyRow} over a whole row. */
    static double adafactorApplyRow(double[] p, double[] g, int off, int cols, double rowScale, double[] colFactor, double[] partials) {
        if (!SUMS_FIT) return Adafactor.applyRow(p, g, off, 0, cols, rowScale, colFactor, partials);
        DoubleVector a0 = DoubleVector.zero(S), a1 = a0, a2 = a0, a3 = a0;
        LongVector big = LongVector.zero(LS);
        int j = 0, end = cols - cols % Sums8.WIDTH;
        for (; j < end; j += Sums8.WIDTH) {
            for (int k = 0; k < K; k++) {
                int at = j + k * L;
                DoubleVector step = DoubleVector.fromArray(S, g, off + at).mul(rowScale).mul(DoubleVector.fromArray(S, colFactor, at));
                DoubleVector pv = DoubleVector.fromArray(S, p, off + at).sub(step);
                pv.intoArray(p, off + at);
                big = big.max(magnitude(pv));
                DoubleVector sq = pv.mul(pv);
                if (k == 0) a0 = a0.add(sq);
                else if (k == 1) a1 = a1.add(sq);
                else if (k == 2) a2 = a2.add(sq);
                else a3 = a3.add(sq);
            }
        }
        store(a0, a1, a2, a3, partials, 0);
        return largest(big, Adafactor.applyRow(p, g, off, end, cols, rowScale, colFactor, partials));
    }
}
