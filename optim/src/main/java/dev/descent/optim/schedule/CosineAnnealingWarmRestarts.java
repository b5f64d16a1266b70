package dev.descent.optim.schedule;

import dev.descent.optim.Optimizer;

/**
 * Cosine annealing with warm restarts, SGDR (Loshchilov and Hutter, "SGDR: Stochastic Gradient Descent with Warm
 * Restarts", ICLR 2017), as
 * <a href="https://pytorch.org/docs/1.13/generated/torch.optim.lr_scheduler.CosineAnnealingWarmRestarts.html">{@code CosineAnnealingWarmRestarts}</a>:
 *
 * <pre>
 *   η_t = η_min + (η_max − η_min)(1 + cos(π T_cur / T_i)) / 2
 * </pre>
 *
 * where {@code T_cur} counts epochs since the last restart and the period starts at {@code T_0} and is multiplied by
 * {@code T_mult} at each restart. {@code T_cur} is advanced by one each step ({@code T_cur ← T_cur + 1}, and on reaching
 * {@code T_i}: {@code T_cur ← T_cur − T_i}, {@code T_i ← T_i · T_mult}), as PyTorch; the rate is always computed from
 * the base rate, so this scheduler is not chainable (in PyTorch neither).
 */
public final class CosineAnnealingWarmRestarts extends LrScheduler {
    private final int t0, tMult;
    private final double etaMin;
    private double tI, tCur;

    /** PyTorch's defaults: {@code T_mult = 1}, {@code eta_min = 0}. */
    public CosineAnnealingWarmRestarts(Optimizer<?> optimizer, int t0) {
        this(optimizer, t0, 1, 0.0);
    }

    /**
     * @param t0 epochs until the first restart, {@code > 0}
     * @param tMult growth factor of the period at each restart, {@code >= 1}
     * @param etaMin minimum learning rate
     */
    public CosineAnnealingWarmRestarts(Optimizer<?> optimizer, int t0, int tMult, double etaMin) {
        super(optimizer);
        if (t0 <= 0) throw new IllegalArgumentException("Expected positive integer T_0, but got " + t0);
        if (tMult < 1) throw new IllegalArgumentException("Expected integer T_mult >= 1, but got " + tMult);
        this.t0 = t0;
        this.tI = t0;
        this.tMult = tMult;
        this.etaMin = etaMin;
        this.tCur = lastEpoch;
        initialStep();
    }

    @Override
    protected double[] computeLr() {
        double[] lrs = baseLrs.clone();
        for (int i = 0; i < lrs.length; i++) lrs[i] = etaMin + (baseLrs[i] - etaMin) * (1 + Math.cos(Math.PI * tCur / tI)) / 2;
        return lrs;
    }

    @Override
    public void step() {
        if (lastEpoch < 0) {
            step(0);
            return;
        }
        atomically(() -> {
            stepCount++;
            tCur = tCur + 1;
            if (tCur >= tI) {
                tCur = tCur - tI;
                tI = tI * tMult;
            }
            lastEpoch++;
            apply(computeLr());
        });
    }

    @Override
    protected double[] extraState() {
        return new double[] {tI, tCur};
    }

    @Override
    protected void loadExtraState(double[] extra) {
        tI = extra[0];
        tCur = extra[1];
    }

    @Override
    void step(int epoch) {
        step((double) epoch);
    }

    /**
     * Jumps to a possibly fractional {@code epoch}, for stepping after every batch as PyTorch documents:
     * {@code scheduler.step(epoch + i / itersPerEpoch)}. {@code T_cur} and {@code T_i} are recomputed from the epoch:
     * with {@code T_mult = 1}, {@code T_cur = epoch mod T_0}; otherwise {@code n = ⌊log_{T_mult}(epoch (T_mult − 1) / T_0 + 1)⌋},
     * {@code T_cur = epoch − T_0 (T_mult^n − 1) / (T_mult − 1)}, {@code T_i = T_0 T_mult^n}.
     */
    public void step(double epoch) {
        if (!(epoch >= 0)) throw new IllegalArgumentException("Expected non-negative epoch, but got " + epoch);
        atomically(() -> jump(epoch));
    }

    private void jump(double epoch) {
        stepCount++;
        if (epoch >= t0) {
            if (tMult == 1) {
                tCur = epoch % t0;
            } else {
                int n = (int) (Math.log(epoch / t0 * (tMult - 1) + 1) / Math.log(tMult));
                tCur = epoch - t0 * (Math.pow(tMult, n) - 1) / (tMult - 1);
                tI = t0 * Math.pow(tMult, n);
            }
        } else {
            tI = t0;
            tCur = epoch;
        }
        lastEpoch = (int) Math.floor(epoch);
        apply(computeLr());
    }
}
