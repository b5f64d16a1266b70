package dev.descent.nn.data;

import dev.descent.core.Rng;

import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Batches of a {@link Dataset}, as PyTorch's {@code DataLoader}: each iteration is one epoch. With {@code shuffle} the
 * order is a fresh permutation drawn from the loader's {@link Rng} at the start of every epoch, so the same seed gives
 * the same sequence of epochs; without it the order is {@code 0, 1, 2, ...}. The last, smaller batch is dropped when
 * {@code dropLast}.
 */
public final class DataLoader implements Iterable<Batch> {
    private final Dataset dataset;
    private final int batchSize;
    private final boolean shuffle;
    private final boolean dropLast;
    private final Rng rng;

    /** @throws IllegalArgumentException unless {@code batchSize > 0} */
    public DataLoader(Dataset dataset, int batchSize, boolean shuffle, boolean dropLast, Rng rng) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch_size should be a positive integer value, but got batch_size=" + batchSize);
        }
        this.dataset = dataset;
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.dropLast = dropLast;
        this.rng = rng;
    }

    /** The number of batches per epoch. */
    public int numBatches() {
        int n = dataset.size();
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    @Override
    public Iterator<Batch> iterator() {
        int n = dataset.size();
        int[] order = shuffle ? rng.permutation(n) : identity(n);
        int batches = numBatches();
        return new Iterator<>() {
            private int next = 0;

            @Override
            public boolean hasNext() {
                return next < batches;
            }

            @Override
            public Batch next() {
                if (!hasNext()) throw new NoSuchElementException();
                int from = next * batchSize;
                next++;
                return dataset.get(Arrays.copyOfRange(order, from, Math.min(from + batchSize, n)));
            }
        };
    }

    private static int[] identity(int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) out[i] = i;
        return out;
    }
}
