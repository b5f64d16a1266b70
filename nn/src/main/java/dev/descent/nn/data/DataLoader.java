package dev.descent.nn.data;

import dev.descent.core.Rng;
import dev.descent.core.Stateful;
import dev.descent.core.Tensor;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

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
 *
 * <p><b>Resuming mid-epoch.</b> The loader remembers the epoch in progress (its order and how many batches it has
 * handed out), and {@link #stateTensors()} saves that with the shuffling generator. After
 * {@link #loadStateTensors}, the next {@link #iterator()} continues that epoch from the next batch, and the epochs
 * after it are drawn exactly as in the uninterrupted run. Iterate one epoch at a time: a new iterator starts a new
 * epoch (but for the one resumed).
 */
public final class DataLoader implements Iterable<Batch>, Stateful {
    /** PyTorch's defaults: batch size 1, no shuffle, keep the last partial batch. */
    public static final Options DEFAULTS = new Options(1, null, false);

    private final Dataset dataset;
    private final Options options;
    /** The order of the epoch in progress (null before the first), the batches of it handed out, the epochs started. */
    private int[] order;
    private int position;
    private long epochs;
    /** Whether an iterator of the epoch in progress has reported its end (the loop over it is over). */
    private boolean finished;
    /** Whether the next iterator continues a restored epoch instead of starting one. */
    private boolean resume;

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
        if (!resume) {
            order = options.shuffle() != null ? options.shuffle().permutation(n) : identity(n);
            position = 0;
            epochs++;
        }
        resume = false;
        finished = false;
        int[] epochOrder = order;
        int batches = numBatches();
        return new Iterator<>() {
            private int next = position;

            @Override
            public boolean hasNext() {
                boolean more = next < batches;
                if (!more && order == epochOrder) finished = true;
                return more;
            }

            @Override
            public Batch next() {
                if (!hasNext()) throw new NoSuchElementException();
                int from = next * batchSize;
                next++;
                if (order == epochOrder) position = next;
                return dataset.get(Arrays.copyOfRange(epochOrder, from, Math.min(from + batchSize, n)));
            }
        };
    }

    /** The epochs started so far (the one in progress included). */
    public long epochs() {
        return epochs;
    }

    /**
     * The position for a checkpoint: {@code order} (the epoch in progress, or empty when none is: before the first
     * epoch, and once an iterator has reported the end of its epoch, since the loop over it is then over),
     * {@code position} (batches of it handed out), {@code epochs} (started), and {@code rng.state} for the shuffling
     * generator when there is one.
     */
    @Override
    public Map<String, Tensor> stateTensors() {
        boolean inProgress = order != null && !finished;
        Map<String, Tensor> out = new LinkedHashMap<>();
        double[] o = new double[inProgress ? order.length : 0];
        for (int i = 0; i < o.length; i++) o[i] = order[i];
        out.put("order", Tensor.vector(o));
        out.put("position", Tensor.scalar(inProgress ? position : 0));
        out.put("epochs", Tensor.scalar(epochs));
        if (options.shuffle() != null) options.shuffle().stateTensors().forEach((k, v) -> out.put("rng." + k, v));
        return out;
    }

    /**
     * Restores what {@link #stateTensors()} gave, strictly: the order must be a permutation of the dataset's indices
     * (or empty), the position within the epoch's batches, and the generator's state present exactly when this loader
     * shuffles. Nothing changes when anything is wrong.
     */
    @Override
    public void loadStateTensors(Map<String, Tensor> state) {
        String what = "DataLoader state: ";
        Map<String, Tensor> rng = new HashMap<>();
        for (Map.Entry<String, Tensor> e : state.entrySet()) {
            if (e.getKey().startsWith("rng.")) rng.put(e.getKey().substring(4), e.getValue());
            else if (!Set.of("order", "position", "epochs").contains(e.getKey())) throw new IllegalArgumentException(what + "unexpected key '" + e.getKey() + "'");
        }
        Tensor o = state.get("order"), p = state.get("position"), ep = state.get("epochs");
        if (o == null || p == null || ep == null) throw new IllegalArgumentException(what + "expected keys order, position and epochs, got " + state.keySet());
        int n = dataset.size();
        if (o.dim() != 1 || (o.size() != 0 && o.size() != n)) {
            throw new IllegalArgumentException(what + "'order' has shape " + Arrays.toString(o.shape()) + ", expected [" + n + "] (the dataset's size) or [0]");
        }
        int[] restored = new int[o.size()];
        boolean[] seen = new boolean[n];
        double[] values = o.toArray();
        for (int i = 0; i < restored.length; i++) {
            double v = values[i];
            if (!(v >= 0 && v < n && v == Math.rint(v)) || seen[(int) v]) {
                throw new IllegalArgumentException(what + "'order' is not a permutation of 0.." + (n - 1) + ": element " + i + " is " + v);
            }
            seen[(int) v] = true;
            restored[i] = (int) v;
        }
        int batches = numBatches();
        double pos = p.dim() == 0 ? p.item() : Double.NaN, started = ep.dim() == 0 ? ep.item() : Double.NaN;
        if (!(pos >= 0 && pos <= (restored.length == 0 ? 0 : batches) && pos == Math.rint(pos)) || (restored.length > 0 && started < 1)) {
            throw new IllegalArgumentException(what + "'position' is " + p + ", expected a whole number of batches from 0 to "
                    + (restored.length == 0 ? 0 : batches));
        }
        if (!(started >= 0 && started <= (double) (1L << 53) && started == Math.rint(started))) {
            throw new IllegalArgumentException(what + "'epochs' is " + ep + ", expected a whole number");
        }
        if ((options.shuffle() != null) != !rng.isEmpty()) {
            throw new IllegalArgumentException(what + (rng.isEmpty() ? "no shuffling generator state (rng.state), but this loader shuffles"
                    : "a shuffling generator state, but this loader does not shuffle"));
        }
        if (options.shuffle() != null) {
            try {
                options.shuffle().loadStateTensors(rng);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(what + "rng: " + e.getMessage(), e);
            }
        }
        order = restored.length == 0 ? null : restored;
        position = (int) pos;
        epochs = (long) started;
        resume = order != null;
        finished = false;
    }

    private static int[] identity(int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) out[i] = i;
        return out;
    }
}
