package dev.descent.consumer;

import dev.descent.core.Rng;
import dev.descent.core.Tape;
import dev.descent.core.Tensor;
import dev.descent.core.kernel.Kernels;
import dev.descent.nn.Linear;
import dev.descent.nn.Losses;
import dev.descent.nn.Module;
import dev.descent.nn.Sequential;
import dev.descent.nn.Tanh;
import dev.descent.nn.data.Batch;
import dev.descent.nn.data.DataLoader;
import dev.descent.nn.data.Synthetic;
import dev.descent.nn.data.TensorDataset;
import dev.descent.optim.Adam;
import dev.descent.optim.clip.Clip;
import dev.descent.optim.schedule.CosineAnnealingLR;
import dev.descent.optim.schedule.LrScheduler;

/** Trains a small MLP on the two-moons set with Adam and a cosine schedule, as a user of descent would. */
public final class TwoMoons {
    /**
     * The trained model with its final full-batch loss and accuracy on the training set.
     *
     * @param model the trained network
     * @param inputs the training inputs
     * @param loss the final cross-entropy
     * @param accuracy the final fraction classified correctly
     */
    public record Result(Module model, Tensor inputs, double loss, double accuracy) {}

    private TwoMoons() {}

    /** Trains for {@code epochs} epochs from {@code seed}. */
    public static Result train(int epochs, long seed) {
        Rng rng = new Rng(seed);
        TensorDataset data = Synthetic.twoMoons(256, 0.1, rng);
        Module model = network(rng);
        return fit(model, data, epochs, rng);
    }

    /** The network: 2 inputs, two tanh layers of 16, 2 logits. */
    public static Module network(Rng rng) {
        return new Sequential(new Linear(2, 16, rng), new Tanh(), new Linear(16, 16, rng), new Tanh(), new Linear(16, 2, rng));
    }

    private static Result fit(Module model, TensorDataset data, int epochs, Rng rng) {
        Adam adam = new Adam(model.parameters(), Adam.DEFAULTS.withLr(0.03));
        LrScheduler schedule = new CosineAnnealingLR(adam, epochs);
        DataLoader loader = new DataLoader(data, DataLoader.DEFAULTS.withBatchSize(32).withShuffle(rng.split()));
        for (int epoch = 0; epoch < epochs; epoch++) {
            for (Batch batch : loader) {
                adam.zeroGrad();
                try (Tape tape = Tape.record()) {
                    tape.backward(Losses.crossEntropy(model.forward(batch.inputs()), batch.classes()));
                }
                Clip.clipGradNorm(model.parameters(), 5.0);
                adam.step();
            }
            schedule.step();
        }
        Batch all = data.get(java.util.stream.IntStream.range(0, data.size()).toArray());
        Tensor logits = model.forward(all.inputs());
        int[] target = all.classes();
        int correct = 0;
        for (int i = 0; i < target.length; i++) {
            int predicted = logits.get(i, 1) > logits.get(i, 0) ? 1 : 0;
            if (predicted == target[i]) correct++;
        }
        return new Result(model, all.inputs(), Losses.crossEntropy(logits, target).item(), (double) correct / target.length);
    }

    /** Trains and prints the result and the kernels in use. */
    public static void main(String[] args) {
        Result r = train(60, 7);
        System.out.println("two moons: loss " + r.loss() + ", accuracy " + r.accuracy() + "; " + Kernels.describe());
    }
}
