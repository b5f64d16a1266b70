package dev.descent.nn.diagnostics;

import dev.descent.core.Tensor;
import dev.descent.nn.Linear;
import dev.descent.nn.Module;
import dev.descent.nn.ReLU;
import dev.descent.nn.Sequential;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Follows how gradients flow through a {@link Sequential} network, layer by layer, where a layer is each
 * {@link Linear} child together with the modules after it up to the next Linear (its normalisation and activation).
 *
 * <p>Use: run the forward pass through {@link #forward} (it records each layer's activation and the weights before the
 * update), back-propagate, update the parameters, then call {@link #record()}, which reads the gradients and the
 * update and appends one {@link LayerStats} per layer to the history.
 *
 * <p>The verdicts use each layer's gradient-to-weight ratio {@code r = ‖∇W‖ / ‖W‖}, the relative change a
 * gradient step with learning rate 1 would make, and compare it with the last layer's (the one nearest the loss).
 * Checked in this order:
 * <ul>
 *   <li>{@link Health#DEAD}: at least {@value #DEAD_FRACTION} of the layer's ReLU units never fire on the batch;</li>
 *   <li>{@link Health#EXPLODING}: {@code r} is more than {@value #EXPLODING_RATIO} times the last layer's
 *       (gradients grow on their way back to the input), or more than {@value #EXPLODING_GRAD_TO_WEIGHT} (so steep
 *       that any usual learning rate overshoots: this is how a large-gain ReLU network shows, whose forward activations
 *       and backward gradients grow together so that the ratios between layers stay even);</li>
 *   <li>{@link Health#VANISHING}: {@code r} is less than {@value #VANISHING_RATIO} times the last layer's;</li>
 *   <li>{@link Health#HEALTHY} otherwise.</li>
 * </ul>
 * The relative thresholds do not depend on the loss's scale; the absolute one assumes a loss of order one (a mean
 * over the batch, as the losses here compute by default). {@link #table()} exports the whole history as CSV for
 * plotting.
 */
public final class GradientFlow {
    /** A layer whose weight gradient is smaller than this fraction of the last layer's is vanishing. */
    public static final double VANISHING_RATIO = 1e-3;
    /** A layer whose weight gradient is larger than this multiple of the last layer's is exploding. */
    public static final double EXPLODING_RATIO = 1e3;
    /** A layer whose gradient-to-weight ratio exceeds this is exploding whatever the other layers do. */
    public static final double EXPLODING_GRAD_TO_WEIGHT = 100;
    /** A layer with at least this fraction of ReLU units that never fire on a batch is dead. */
    public static final double DEAD_FRACTION = 0.5;

    private final Sequential model;
    private final List<Integer> layerStarts = new ArrayList<>();
    private final List<LayerStats> history = new ArrayList<>();
    private Tensor[] activations;
    private boolean[] afterRelu;
    private Tensor[] weightsBefore;
    private int step;

    /** Monitors the Linear layers of {@code model}, which must have at least one. */
    public GradientFlow(Sequential model) {
        this.model = model;
        for (int i = 0; i < model.size(); i++) if (model.get(i) instanceof Linear) layerStarts.add(i);
        if (layerStarts.isEmpty()) throw new IllegalArgumentException("GradientFlow: the model has no Linear layer to monitor");
    }

    /** Runs the model on {@code input}, recording each layer's activation and its weight before the coming update. */
    public Tensor forward(Tensor input) {
        int layers = layerStarts.size();
        activations = new Tensor[layers];
        afterRelu = new boolean[layers];
        weightsBefore = new Tensor[layers];
        Tensor x = input;
        for (int i = 0; i < model.size(); i++) {
            Module m = model.get(i);
            x = m.forward(x);
            int layer = layerOf(i);
            if (layer >= 0) {
                activations[layer] = x.detach();
                afterRelu[layer] = m instanceof ReLU;
                if (m instanceof Linear lin) weightsBefore[layer] = lin.weight().detach().copy();
            }
        }
        return x;
    }

    private int layerOf(int child) {
        int layer = -1;
        for (int l = 0; l < layerStarts.size() && layerStarts.get(l) <= child; l++) layer = l;
        return layer;
    }

    /** Measures every layer after backward and the update, appends the results to the history and returns them. */
    public List<LayerStats> record() {
        if (activations == null) throw new IllegalStateException("GradientFlow.record: call forward first");
        int layers = layerStarts.size();
        double[] gradNorms = new double[layers], gradToWeight = new double[layers], norms = new double[layers];
        for (int l = 0; l < layers; l++) {
            Tensor g = ((Linear) model.get(layerStarts.get(l))).weight().grad();
            if (g == null) throw new IllegalStateException("GradientFlow.record: layer " + layerStarts.get(l) + " has no gradient; call backward first");
            gradNorms[l] = norm(g.toArray());
            gradToWeight[l] = gradNorms[l] / norm(weightsBefore[l].toArray());
        }
        for (int l = 0; l < layers; l++) norms[l] = gradToWeight[l];
        List<LayerStats> out = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            double ratio = norms[l] / norms[layers - 1];
            double toWeight = gradToWeight[l];
            double[] a = activations[l].toArray();
            double mean = 0;
            for (double v : a) mean += v;
            mean /= a.length;
            double var = 0;
            for (double v : a) var += (v - mean) * (v - mean);
            double dead = afterRelu[l] ? deadFraction(activations[l]) : 0;
            Tensor w = ((Linear) model.get(layerStarts.get(l))).weight();
            double[] now = w.toArray(), before = weightsBefore[l].toArray();
            double diff = 0;
            for (int i = 0; i < now.length; i++) diff += (now[i] - before[i]) * (now[i] - before[i]);
            double update = diff == 0 ? Double.NaN : Math.sqrt(diff) / norm(now);
            Health health = verdict(dead, ratio, toWeight);
            out.add(new LayerStats(step, Integer.toString(layerStarts.get(l)), gradNorms[l], toWeight, ratio, mean, Math.sqrt(var / a.length), dead, update, health));
        }
        step++;
        history.addAll(out);
        return out;
    }

    /**
     * The verdict on one layer from its measurements, by the rules in the class comment (checked in that order), for
     * callers that measure layers {@code GradientFlow} cannot walk (a network with residual connections, say).
     *
     * @param deadFraction the fraction of its ReLU units that never fire on the batch (0 for other activations)
     * @param gradRatio    its gradient-to-weight ratio divided by the last layer's
     * @param gradToWeight its gradient-to-weight ratio {@code ‖∇W‖ / ‖W‖}
     */
    public static Health verdict(double deadFraction, double gradRatio, double gradToWeight) {
        return deadFraction >= DEAD_FRACTION ? Health.DEAD
                : gradRatio > EXPLODING_RATIO || gradToWeight > EXPLODING_GRAD_TO_WEIGHT ? Health.EXPLODING
                : gradRatio < VANISHING_RATIO || Double.isNaN(gradRatio) ? Health.VANISHING
                : Health.HEALTHY;
    }

    /** Units (last dimension) of a ReLU's output that are never positive anywhere in the batch, as a fraction of all units. */
    public static double deadFraction(Tensor activation) {
        int units = activation.shape(activation.dim() - 1);
        double[] a = activation.toArray();
        boolean[] fired = new boolean[units];
        for (int i = 0; i < a.length; i++) if (a[i] > 0) fired[i % units] = true;
        int dead = 0;
        for (boolean f : fired) if (!f) dead++;
        return (double) dead / units;
    }

    private static double norm(double[] v) {
        double s = 0;
        for (double x : v) s += x * x;
        return Math.sqrt(s);
    }

    /** Every record so far, in order. */
    public List<LayerStats> history() {
        return Collections.unmodifiableList(history);
    }

    /** The history as CSV with a header row, one line per layer and step, for plotting. */
    public String table() {
        StringBuilder sb = new StringBuilder("step,layer,grad_norm,grad_to_weight,grad_ratio,activation_mean,activation_std,dead_fraction,update_ratio,health\n");
        for (LayerStats s : history) {
            sb.append(String.format(Locale.ROOT, "%d,%s,%.6e,%.6e,%.6e,%.6e,%.6e,%.4f,%.6e,%s\n", s.step(), s.layer(), s.gradNorm(), s.gradToWeight(), s.gradRatio(),
                    s.activationMean(), s.activationStd(), s.deadFraction(), s.updateRatio(), s.health()));
        }
        return sb.toString();
    }
}
