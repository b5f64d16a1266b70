package dev.descent.nn.io;

import dev.descent.core.Rng;
import dev.descent.core.Tape;
import dev.descent.core.Tensor;
import dev.descent.nn.BatchNorm1d;
import dev.descent.nn.LayerNorm;
import dev.descent.nn.Linear;
import dev.descent.nn.Losses;
import dev.descent.nn.Module;
import dev.descent.nn.ReLU;
import dev.descent.nn.Sequential;
import dev.descent.nn.Tanh;
import java.nio.file.Path;

/**
 * The model of the PyTorch interop fixtures, and the program that wrote {@code descent_state_dict.safetensors}: a
 * descent model trained for 10 steps of gradient descent (so BatchNorm's running statistics and counter have moved),
 * saved with {@link TorchStateDict#save}. {@code torch_state_dict.py} then loads that file into the same PyTorch model.
 *
 * <p>To regenerate (from the repository root, after {@code mvn -pl nn -am test-compile}):
 * <pre>
 *   java -cp core/target/classes:nn/target/classes:nn/target/test-classes dev.descent.nn.io.TorchStateDictFixture \
 *       nn/src/test/resources/fixtures/torch_state_dict/descent_state_dict.safetensors
 *   /usr/bin/python3 nn/src/test/resources/fixtures/torch_state_dict/torch_state_dict.py
 * </pre>
 */
final class TorchStateDictFixture {
    private TorchStateDictFixture() {}

    /** {@code nn.Sequential(Linear(5, 8), BatchNorm1d(8), Tanh(), Linear(8, 8), LayerNorm(8), ReLU(), Linear(8, 3))}. */
    static Module model(Rng rng) {
        return new Sequential(new Linear(5, 8, rng), new BatchNorm1d(8), new Tanh(), new Linear(8, 8, rng), new LayerNorm(8), new ReLU(),
                new Linear(8, 3, rng));
    }

    public static void main(String[] args) {
        Rng rng = new Rng(20261201);
        Module model = model(rng);
        Tensor x = Tensor.normal(rng, 0, 1, 64, 5);
        int[] y = new int[64];
        for (int i = 0; i < y.length; i++) y[i] = rng.nextInt(3);
        for (int step = 0; step < 10; step++) {
            model.zeroGrad();
            try (Tape tape = Tape.record()) {
                tape.backward(Losses.crossEntropy(model.forward(x), y));
            }
            for (Tensor p : model.parameters()) p.addInPlace(-0.1, p.grad());
        }
        TorchStateDict.save(Path.of(args[0]), model);
    }
}
