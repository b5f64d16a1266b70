package dev.descent.examples;

import dev.descent.core.Rng;
import dev.descent.core.Tape;
import dev.descent.core.Tensor;
import dev.descent.nn.AdaptiveAvgPool2d;
import dev.descent.nn.BatchNorm1d;
import dev.descent.nn.Conv2d;
import dev.descent.nn.Flatten;
import dev.descent.nn.Linear;
import dev.descent.nn.Losses;
import dev.descent.nn.Reduction;
import dev.descent.nn.Module;
import dev.descent.nn.ReLU;
import dev.descent.nn.Residual;
import dev.descent.nn.Sequential;
import dev.descent.nn.Sigmoid;
import dev.descent.nn.Tanh;
import dev.descent.nn.data.Batch;
import dev.descent.nn.diagnostics.GradientFlow;
import dev.descent.nn.diagnostics.Health;
import dev.descent.nn.diagnostics.LayerStats;
import dev.descent.nn.init.FanMode;
import dev.descent.nn.init.Init;
import dev.descent.optim.SGD;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.knowm.xchart.XYChart;

/**
 * Vanishing gradients: in a deep sigmoid or tanh network with PyTorch's default initialisation every layer multiplies
 * the back-propagated gradient by a factor well below one, so the layers near the input barely learn. ReLU with He
 * initialisation, Xavier initialisation for tanh, batch normalisation and residual connections each keep the factor
 * near one.
 */
final class VanishingDemo implements Demo {
    /** Linear layers in each network (input and output layers included), their width, training steps. */
    int depth = 20, width = 24, steps = 120, examples = 96;
    double lr = 0.02, momentum = 0.9;
    /** The convolutional panel: channels of every hidden convolution, image side, images in the batch. */
    int convChannels = 8, imageSide = 8, images = 32;

    /** A network to train: how to build it from an {@link Rng}. */
    record Config(String name, Function<Rng, Module> build) {}

    /** One run: the weight-gradient norm of every layer at every step ({@code grads[step][layer]}) and the loss. */
    record Run(String name, double[][] grads, double[] loss, String verdicts) {
        /** The gradient norm of the first layer divided by the last layer's, at step {@code s}. */
        double firstOverLast(int s) {
            double[] g = grads[s];
            return g[0] / g[g.length - 1];
        }
    }

    @Override
    public String name() {
        return "vanishing";
    }

    /** A plain deep network: Linear, [norm], activation, repeated; hidden layers optionally wrapped in a residual connection. */
    Module mlp(Rng rng, java.util.function.Supplier<Module> activation, java.util.function.Consumer<Linear> init, boolean batchNorm,
            boolean residual) {
        List<Module> layers = new ArrayList<>();
        for (int l = 0; l < depth - 1; l++) {
            Linear lin = new Linear(l == 0 ? 2 : width, width, rng);
            init.accept(lin);
            List<Module> block = new ArrayList<>(List.of(lin));
            if (batchNorm) block.add(new BatchNorm1d(width));
            block.add(activation.get());
            // flat when there is no shortcut, so that GradientFlow sees every Linear as a child
            if (residual && l > 0) layers.add(new Residual(new Sequential(block.toArray(Module[]::new))));
            else layers.addAll(block);
        }
        Linear out = new Linear(width, 2, rng);
        init.accept(out);
        layers.add(out);
        return new Sequential(layers.toArray(Module[]::new));
    }

    /**
     * A {@code depth}-layer CNN: {@code depth - 1} 3x3 convolutions (padding 1, PyTorch's default init) with ReLU, the
     * hidden ones optionally wrapped in identity residual connections, then global average pooling and a Linear head.
     */
    Module cnn(Rng rng, boolean residual) {
        List<Module> layers = new ArrayList<>(List.of(new Conv2d(1, convChannels, 3, 1, 1, rng), new ReLU()));
        for (int l = 1; l < depth - 1; l++) {
            Conv2d conv = new Conv2d(convChannels, convChannels, 3, 1, 1, rng);
            if (residual) layers.add(new Residual(new Sequential(conv, new ReLU())));
            else layers.addAll(List.of(conv, new ReLU()));
        }
        layers.addAll(List.of(new AdaptiveAvgPool2d(1), new Flatten(), new Linear(convChannels, 2, rng)));
        return new Sequential(layers.toArray(Module[]::new));
    }

    /** The weight-gradient norm of every layer of the plain and the residual CNN at initialisation, on one batch. */
    record ConvPanel(double[] plain, double[] residual) {
        static double firstOverLast(double[] g) {
            return g[0] / g[g.length - 1];
        }
    }

    /** Both CNNs from the same seed on the same batch of random images with random labels (at initialisation the data hardly matter). */
    ConvPanel convPanel(long seed) {
        Rng data = new Rng(seed + 5);
        Tensor x = Tensor.normal(data, 0, 1, images, 1, imageSide, imageSide);
        double[] labels = new double[images];
        for (int i = 0; i < images; i++) labels[i] = data.nextInt(2);
        Batch batch = new Batch(x, Tensor.vector(labels));
        double[][] norms = new double[2][];
        for (int r = 0; r < 2; r++) {
            Module model = cnn(new Rng(seed), r == 1);
            Nets.backward(model, batch);
            norms[r] = Nets.convAndLinearGradNorms(model);
        }
        return new ConvPanel(norms[0], norms[1]);
    }

    List<Config> configs() {
        java.util.function.Consumer<Linear> pytorch = l -> {};
        return List.of(
                new Config("sigmoid, default init", rng -> mlp(rng, Sigmoid::new, pytorch, false, false)),
                new Config("tanh, default init", rng -> mlp(rng, Tanh::new, pytorch, false, false)),
                new Config("ReLU + He init", rng -> mlp(rng, ReLU::new, l -> {
                    Init.kaimingNormal(l.weight(), 0, FanMode.FAN_IN, "relu", rng);
                    Init.zeros(l.bias());
                }, false, false)),
                new Config("tanh + Xavier init", rng -> mlp(rng, Tanh::new, l -> {
                    Init.xavierNormal(l.weight(), Init.calculateGain("tanh"), rng);
                    Init.zeros(l.bias());
                }, false, false)),
                new Config("sigmoid + BatchNorm", rng -> mlp(rng, Sigmoid::new, pytorch, true, false)),
                new Config("tanh + residual connections", rng -> mlp(rng, Tanh::new, pytorch, false, true)));
    }

    Run train(Config c, long seed, Progress progress) {
        Rng rng = new Rng(seed);
        Batch data = Nets.moons(examples, new Rng(seed));
        Module model = c.build().apply(rng);
        SGD sgd = new SGD(model.parameters(), SGD.Options.lr(lr).withMomentum(momentum));
        double[][] grads = new double[steps][];
        double[] loss = new double[steps];
        String verdicts = "n/a (shortcuts)";
        for (int s = 0; s < steps; s++) {
            if (s == 0 && Nets.linears(model).stream().allMatch(l -> ((Sequential) model).namedChildren().containsValue(l))) {
                // the first step goes through GradientFlow, whose verdicts the report quotes
                GradientFlow flow = new GradientFlow((Sequential) model);
                model.zeroGrad();
                try (Tape tape = Tape.record()) {
                    Tensor l = Losses.crossEntropy(flow.forward(data.inputs()), data.classes(), Reduction.MEAN);
                    tape.backward(l);
                    loss[s] = l.item();
                }
                verdicts = verdicts(flow.record());
            } else {
                loss[s] = Nets.backward(model, data);
            }
            grads[s] = Nets.weightGradNorms(model);
            sgd.step();
            progress.step();
        }
        return new Run(c.name(), grads, loss, verdicts);
    }

    /** GradientFlow's verdicts counted, e.g. "13 vanishing, 7 healthy". */
    static String verdicts(List<LayerStats> stats) {
        java.util.Map<Health, Integer> counts = new java.util.EnumMap<>(Health.class);
        for (LayerStats st : stats) counts.merge(st.health(), 1, Integer::sum);
        List<String> parts = new ArrayList<>();
        counts.forEach((h, n) -> parts.add(n + " " + h.name().toLowerCase(java.util.Locale.ROOT)));
        return String.join(", ", parts);
    }

    List<Run> runAll(long seed, Progress progress) {
        List<Config> cs = configs();
        progress.total((long) cs.size() * steps);
        List<Run> runs = new ArrayList<>();
        for (Config c : cs) runs.add(train(c, seed, progress));
        return runs;
    }

    @Override
    public Section run(long seed, Path dir, Progress progress) throws Exception {
        return report(runAll(seed, progress), convPanel(seed), dir);
    }

    Section report(List<Run> runs, ConvPanel conv, Path dir) throws java.io.IOException {
        double[] layers = Nets.range(1, depth);
        Run sigmoid = runs.get(0), tanh = runs.get(1);

        XYChart init = Charts.chart("Gradient norm per layer at initialisation, " + depth + "-layer MLP (width " + width + ")",
                "layer (1 = input side)", "‖∂loss/∂W‖ (log scale)", false, true);
        for (Run r : List.of(sigmoid, tanh)) Nets.line(init, runs.indexOf(r), r.name(), layers, r.grads()[0]);
        init.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSE);
        Path initPng = Charts.save(init, dir, "vanishing-init-profile");

        XYChart during = Charts.chart("Sigmoid network during training: gradient norm of some layers", "step", "‖∂loss/∂W‖ (log scale)", false, true);
        for (int l : new int[] {depth, 3 * depth / 4, depth / 2, depth / 4, 1}) {
            double[] g = new double[steps];
            for (int s = 0; s < steps; s++) g[s] = sigmoid.grads()[s][l - 1];
            double[][] xy = Nets.positive(Nets.range(0, steps - 1), g, 0);
            Charts.line(during, "layer " + l, xy[0], xy[1]);
        }
        during.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideE);
        Path duringPng = Charts.save(during, dir, "vanishing-during-training");

        List<Run> fixes = new ArrayList<>(runs);
        fixes.remove(tanh);
        XYChart profile = Charts.chart("Gradient norm per layer at initialisation: the fixes", "layer (1 = input side)", "‖∂loss/∂W‖ (log scale)",
                false, true);
        for (Run r : fixes) Nets.line(profile, runs.indexOf(r), r.name(), layers, r.grads()[0]);
        profile.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSE);
        Path profilePng = Charts.save(profile, dir, "vanishing-fixes-profile");

        // one panel per fix, each over the two networks it fixes (grey), instead of six tangled lines
        List<Charts.Line> base = new ArrayList<>(), fixed = new ArrayList<>();
        for (Run r : runs) {
            double[][] xy = Nets.positive(Nets.range(0, steps - 1), r.loss(), 0);
            (r == sigmoid || r == tanh ? base : fixed).add(new Charts.Line(r.name(), xy[0], xy[1], Nets.color(runs.indexOf(r))));
        }
        Path lossPng = Charts.savePanels(dir, "vanishing-fixes-loss", "Training loss, SGD (lr " + lr + ", momentum " + momentum + "), two moons",
                "step", "cross-entropy loss (log scale)", true, base, fixed, 2);

        XYChart cnn = Charts.chart("Gradient norm per layer at initialisation, " + depth + "-layer CNN (" + convChannels + " channels, 3x3)",
                "layer (1 = input side)", "‖∂loss/∂W‖ (log scale)", false, true);
        Nets.line(cnn, 0, "plain: conv + ReLU", layers, conv.plain());
        Nets.line(cnn, 5, "with residual connections", layers, conv.residual());
        cnn.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSE);
        Path cnnPng = Charts.save(cnn, dir, "vanishing-cnn-profile");

        StringBuilder md = new StringBuilder();
        md.append("Each network has ").append(depth).append(" Linear layers of width ").append(width).append(" and is trained full-batch on ")
                .append(examples).append(" two-moons points. Weight-gradient norms ‖∂loss/∂W‖ at initialisation (step 0) and at the last step:\n\n");
        md.append("| network | layer 1 | layer ").append(depth / 2).append(" | layer ").append(depth)
                .append(" | layer 1 / layer ").append(depth).append(" at init | … after training | loss at start | loss at end | GradientFlow at init |\n");
        md.append("|---|---|---|---|---|---|---|---|---|\n");
        for (Run r : runs) {
            double[] g = r.grads()[0];
            md.append("| ").append(r.name()).append(" | ").append(Nets.e(g[0])).append(" | ").append(Nets.e(g[depth / 2 - 1])).append(" | ")
                    .append(Nets.e(g[depth - 1])).append(" | ").append(Nets.e(r.firstOverLast(0))).append(" | ")
                    .append(Nets.e(r.firstOverLast(steps - 1))).append(" | ").append(Nets.f(r.loss()[0])).append(" | ")
                    .append(Nets.f(r.loss()[steps - 1])).append(" | ").append(r.verdicts()).append(" |\n");
        }
        double perLayer = Math.pow(sigmoid.firstOverLast(0), 1.0 / (depth - 1));
        md.append(String.format("%nIn the sigmoid network each layer passes on about %.2f of the gradient it receives (sigmoid's slope is at most "
                + "1/4), so layer 1 gets %s of what layer %d gets. The last column counts the layers GradientFlow labels at initialisation, "
                + "comparing each layer's gradient-to-weight ratio with the last layer's (vanishing below 1e-3 of it).%n", perLayer,
                Nets.e(sigmoid.firstOverLast(0)), depth));
        md.append(String.format("%nThe same depth with convolutions (%d 3x3 convolutions of %d channels with ReLU, global average pooling and a "
                + "Linear head, PyTorch's default init, one batch of %d random %dx%d images): layer 1 / layer %d is %s without shortcuts and "
                + "%s with identity residual connections around the hidden convolutions.%n", depth - 1, convChannels, images, imageSide,
                imageSide, depth, Nets.e(ConvPanel.firstOverLast(conv.plain())), Nets.e(ConvPanel.firstOverLast(conv.residual()))));
        return new Section("Vanishing gradients",
                String.format("The first two charts show the gradient of a %d-layer sigmoid network shrinking geometrically from the output "
                        + "towards the input (layer 1 gets %s of the last layer's gradient) and staying that way during training, so its loss "
                        + "hardly moves. The next two show ReLU with He initialisation, tanh with Xavier initialisation, batch normalisation and "
                        + "residual connections each keeping the gradient within a small factor across layers, and those networks learning. "
                        + "The fifth shows the same for a %d-layer CNN: the plain stack of convolutions loses the gradient towards the input "
                        + "(layer 1 gets %s of the last layer's), the residual one does not.",
                        depth, Nets.e(sigmoid.firstOverLast(0)), depth, Nets.e(ConvPanel.firstOverLast(conv.plain()))),
                md.toString(), List.of(initPng, duringPng, profilePng, lossPng, cnnPng), List.of(
                        "Gradient norm per layer at initialisation: in the sigmoid and tanh networks it falls geometrically from the output (right) "
                                + "towards the input (left).",
                        "The sigmoid network during training: the layers near the input keep gradients orders of magnitude below the last layer's.",
                        "The fixes at initialisation: ReLU + He, tanh + Xavier, BatchNorm and residual connections keep every layer's gradient within "
                                + "a small factor of the others.",
                        "Training loss, one panel per fix over the two unfixed networks (grey, flat at about 0.69): every fix learns.",
                        "Gradient norm per layer of a " + depth + "-layer CNN at initialisation: the plain stack loses it towards the input, the "
                                + "residual one keeps it."));
    }
}
