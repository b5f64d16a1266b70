package dev.descent.examples.lab;

import dev.descent.core.Rng;
import dev.descent.core.Tensor;
import dev.descent.nn.BatchNorm1d;
import dev.descent.nn.LeakyReLU;
import dev.descent.nn.Linear;
import dev.descent.nn.Module;
import dev.descent.nn.ReLU;
import dev.descent.nn.SiLU;
import dev.descent.nn.Sigmoid;
import dev.descent.nn.Tanh;
import dev.descent.nn.diagnostics.GradientFlow;
import dev.descent.nn.init.FanMode;
import dev.descent.nn.init.Init;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The network playground's classifier: {@code depth} hidden layers {@code Linear → [BatchNorm1d] → activation} of
 * {@code width} units, then a {@code Linear} to two logits. With residual connections every hidden layer after the
 * first adds its input to its output ({@code h ← h + layer(h)}, He et al. 2016). The forward pass keeps each hidden
 * layer's activation so that the dead ReLU units can be counted.
 */
final class PlaygroundNet extends Module {
    /** The activations offered, with the name {@link Init#calculateGain} knows them by (for Xavier and He). */
    enum Activation {
        RELU(ReLU::new, "relu"), LEAKY_RELU(LeakyReLU::new, "leaky_relu"), ELU(dev.descent.nn.ELU::new, "relu"), GELU(dev.descent.nn.GELU::new, "relu"),
        SILU(SiLU::new, "relu"), TANH(Tanh::new, "tanh"), SIGMOID(Sigmoid::new, "sigmoid");

        final Supplier<Module> make;
        final String gainName;

        Activation(Supplier<Module> make, String gainName) {
            this.make = make;
            this.gainName = gainName;
        }
    }

    /** How the Linear weights start: PyTorch's default, Xavier (normal, with the activation's gain) or He (normal, fan-in). */
    enum Initialisation { DEFAULT, XAVIER, HE }

    private final List<Linear> hidden = new ArrayList<>();
    private final List<Module> norms = new ArrayList<>();
    private final List<Module> activations = new ArrayList<>();
    private final Linear out;
    private final boolean residual;
    private final boolean relu;
    private Tensor[] lastActivations;

    PlaygroundNet(int depth, int width, Activation activation, Initialisation init, boolean batchNorm, boolean residual, Rng rng) {
        this.residual = residual;
        this.relu = activation == Activation.RELU;
        for (int l = 0; l < depth; l++) {
            Linear lin = registerModule("hidden" + l, new Linear(l == 0 ? 2 : width, width, rng));
            initialise(lin, init, activation, rng);
            hidden.add(lin);
            norms.add(batchNorm ? registerModule("norm" + l, new BatchNorm1d(width)) : null);
            activations.add(registerModule("act" + l, activation.make.get()));
        }
        out = registerModule("out", new Linear(width, 2, rng));
        initialise(out, init, activation, rng);
    }

    private static void initialise(Linear lin, Initialisation init, Activation activation, Rng rng) {
        switch (init) {
            case DEFAULT -> { }
            case XAVIER -> {
                Init.xavierNormal(lin.weight(), Init.calculateGain(activation.gainName), rng);
                Init.zeros(lin.bias());
            }
            case HE -> {
                Init.kaimingNormal(lin.weight(), 0, FanMode.FAN_IN, activation.gainName.equals("leaky_relu") ? "leaky_relu" : "relu", rng);
                Init.zeros(lin.bias());
            }
        }
    }

    @Override
    public Tensor forward(Tensor input) {
        Tensor h = input;
        lastActivations = new Tensor[hidden.size()];
        for (int l = 0; l < hidden.size(); l++) {
            Tensor z = hidden.get(l).forward(h);
            if (norms.get(l) != null) z = norms.get(l).forward(z);
            z = activations.get(l).forward(z);
            lastActivations[l] = z.detach();
            h = residual && l > 0 ? h.add(z) : z;
        }
        return out.forward(h);
    }

    /** Every Linear, input side first, the output layer last. */
    List<Linear> linears() {
        List<Linear> all = new ArrayList<>(hidden);
        all.add(out);
        return all;
    }

    /** The fraction of each layer's units that never fired on the last forward pass (ReLU only; 0 otherwise and for the output). */
    double[] deadFractions() {
        double[] dead = new double[hidden.size() + 1];
        if (!relu || lastActivations == null) return dead;
        for (int l = 0; l < hidden.size(); l++) dead[l] = GradientFlow.deadFraction(lastActivations[l]);
        return dead;
    }
}
