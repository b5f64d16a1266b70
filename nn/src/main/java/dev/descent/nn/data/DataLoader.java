package dev.descent.nn.data;

import dev.descent.core.Rng;

import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * Batches of a {@link Dataset}, as PyTorch's {@code DataLoader}: each iteration is one epoch. With
 * {@link Options#withShuffle(Rng) shuffle} the order is a fresh permutation drawn from that {@link Rng} at the start of
 * every epoch, so the same seed gives the same sequence of epochs; without it the order is {@code 0, 1, 2, ...}. The
 * last, smaller batch is dropped when {@link Options#dropLast() dropLast}.
 *
 * <p>Options are set by name, starting from PyTorch's defaults:
 *
 * <pre>{@code
 * DataLoader loader = new DataLoader(train, DataLoader.DEFAULTS.withBatchSize(32).withShuffle(new Rng(7)).withDropLast(true));
 * }</pre>
 */
public final class DataLoader implements Iterable<Batch> {
    /** PyTorch's defaults: batch size 1, no shuffle, keep the last partial batch. */
    public static final Options DEFAULTS = new Options(1, null, false);

    private final Dataset dataset;
    private final Options options;

    /**
     * How a {@link DataLoader} batches; start from {@link DataLoader#DEFAULTS}.
     *
     * @param batchSize examples per batch, {@code > 0} (PyTorch's {@code batch_size})
     * @param shuffle the generator that draws each epoch's permutation, or {@code null} for the dataset's order
     *     (PyTorch's {@code shuffle} together with its {@code generator})
     * @param dropLast drop the last batch when it is smaller than {@code batchSize} (PyTorch's {@code drop_last})
     */
    public record Options(int batchSize, Rng shuffle, boolean dropLast) {
        /** @throws IllegalArgumentException unless {@code batchSize > 0} */
        public Options {
            if (batchSize <= 0) {
                throw new IllegalArgumentException("batch_size should be a positive integer value, but got batch_size=" + batchSize);
            }
        }

        /** These options with another batch size. */
        public Options withBatchSize(int batchSize) {
            return new Options(batchSize, shuffle, dropLast);
        }

        /** These options with every epoch in a fresh order drawn from {@code rng}. */
        public Options withShuffle(Rng rng) {
            return new Options(batchSize, Objects.requireNonNull(rng, "DataLoader: shuffle needs an Rng, got null"), dropLast);
        }

        /** These options with batches in the dataset's order. */
        public Options withoutShuffle() {
            return new Options(batchSize, null, dropLast);
        }

        /** These options with the last partial batch dropped (or kept). */
        public Options withDropLast(boolean dropLast) {
            return new Options(batchSize, shuffle, dropLast);
        }
    }

    /** Batches of {@code dataset} as {@code options} say. */
    public DataLoader(Dataset dataset, Options options) {
        this.dataset = Objects.requireNonNull(dataset, "DataLoader: dataset is null");
        this.options = Objects.requireNonNull(options, "DataLoader: options are null");
    }

    /**
     * Positional form kept for source compatibility.
     *
     * @param dataset the examples
     * @param batchSize examples per batch
     * @param shuffle draw a fresh order from {@code rng} every epoch
     * @param dropLast drop the last partial batch
     * @param rng the generator for shuffling (unused without {@code shuffle})
     * @throws IllegalArgumentException unless {@code batchSize > 0}
     * @deprecated two unnamed booleans read badly at the call site; use
     *     {@code new DataLoader(dataset, DataLoader.DEFAULTS.withBatchSize(b).withShuffle(rng).withDropLast(true))}
     */
    @Deprecated
    public DataLoader(Dataset dataset, int batchSize, boolean shuffle, boolean dropLast, Rng rng) {
        this(dataset, new Options(batchSize, shuffle ? Objects.requireNonNull(rng, "DataLoader: shuffle needs an Rng, got null") : null, dropLast));
    }

    /** The options this loader batches with. */
    public Options options() {
        return options;
    }

    /** The number of batches per epoch. */
    public int numBatches() {
        int n = dataset.size(), batchSize = options.batchSize();
        return options.dropLast() ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    @Override
    public Iterator<Batch> iterator() {
        int n = dataset.size(), batchSize = options.batchSize();
        int[] order = options.shuffle() != null ? options.shuffle().permutation(n) : identity(n);
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
