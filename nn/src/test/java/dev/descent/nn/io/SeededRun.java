package dev.descent.nn.io;

import dev.descent.core.Rng;
import dev.descent.core.Tape;
import dev.descent.core.Tensor;
import dev.descent.nn.BatchNorm1d;
import dev.descent.nn.Dropout;
import dev.descent.nn.Linear;
import dev.descent.nn.Losses;
import dev.descent.nn.ReLU;
import dev.descent.nn.Reduction;
import dev.descent.nn.Sequential;
import dev.descent.nn.data.Batch;
import dev.descent.nn.data.DataLoader;
import dev.descent.nn.data.TensorDataset;
import dev.descent.optim.Adam;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * The child of {@link ReproducibilityTest}: one seeded training run (a 256-256-10 MLP with BatchNorm and Dropout,
 * Adam, shuffled batches of 128, so the matrix products are large enough to be split over threads), printing the
 * number of kernel threads, the preferred vector length in doubles (0 without the Vector API) and a SHA-256 of every
 * parameter and buffer bit.
 */
public final class SeededRun {
    private SeededRun() {}

    public static void main(String[] args) throws Exception {
        Rng rng = new Rng(2024);
        double[] classes = new double[512];
        for (int i = 0; i < classes.length; i++) classes[i] = rng.nextInt(10);
        TensorDataset data = new TensorDataset(Tensor.uniform(rng, -1, 1, 512, 256), Tensor.vector(classes));
        Sequential model = new Sequential(new Linear(256, 256, rng), new BatchNorm1d(256), new ReLU(), new Dropout(0.2, rng.split()),
                new Linear(256, 10, rng));
        Adam adam = new Adam(model.parameters(), Adam.DEFAULTS.withLr(1e-3));
        DataLoader loader = new DataLoader(data, DataLoader.DEFAULTS.withBatchSize(128).withShuffle(rng.split()));
        model.train();
        for (int epoch = 0; epoch < 2; epoch++) {
            for (Batch b : loader) {
                adam.zeroGrad();
                try (Tape tape = Tape.record()) {
                    tape.backward(Losses.crossEntropy(model.forward(b.inputs()), b.classes(), Reduction.MEAN));
                }
                adam.step();
            }
        }
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        ByteBuffer word = ByteBuffer.allocate(8);
        for (Tensor t : model.stateDict().values()) {
            for (double v : t.toArray()) sha.update(word.clear().putLong(Double.doubleToRawLongBits(v)).array());
        }
        boolean vectors = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        System.out.println(Runtime.getRuntime().availableProcessors() + " " + (vectors ? VectorWidth.doubles() : 0) + " "
                + HexFormat.of().formatHex(sha.digest()));
    }

    /** Kept apart so that the Vector API is touched only when its module is present. */
    private static final class VectorWidth {
        static int doubles() {
            return jdk.incubator.vector.DoubleVector.SPECIES_PREFERRED.length();
        }
    }
}
