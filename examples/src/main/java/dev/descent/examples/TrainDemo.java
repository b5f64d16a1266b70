package dev.descent.examples;

import dev.descent.core.Rng;
import dev.descent.core.Stateful;
import dev.descent.core.Tape;
import dev.descent.core.Tensor;
import dev.descent.core.Conv2dOptions;
import dev.descent.nn.AdaptiveAvgPool2d;
import dev.descent.nn.BasicBlock;
import dev.descent.nn.BatchNorm;
import dev.descent.nn.BatchNorm1d;
import dev.descent.nn.BatchNorm2d;
import dev.descent.nn.Conv2d;
import dev.descent.nn.Flatten;
import dev.descent.nn.MaxPool2d;
import dev.descent.nn.Linear;
import dev.descent.nn.Losses;
import dev.descent.nn.Module;
import dev.descent.nn.ReLU;
import dev.descent.nn.Reduction;
import dev.descent.nn.ResidualBlock;
import dev.descent.nn.Sequential;
import dev.descent.nn.data.Batch;
import dev.descent.nn.data.DataLoader;
import dev.descent.nn.data.Idx;
import dev.descent.nn.data.RandomHorizontalFlip;
import dev.descent.nn.data.Synthetic;
import dev.descent.nn.data.TensorDataset;
import dev.descent.nn.data.Transform;
import dev.descent.nn.data.TransformedDataset;
import dev.descent.nn.io.Checkpoint;
import dev.descent.nn.io.TrainingState;
import dev.descent.optim.Adam;
import dev.descent.optim.schedule.ExponentialLR;
import dev.descent.optim.schedule.OneCycleLR;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.XYChart;

/**
 * Trains a classifier end to end: Fashion-MNIST when its IDX files are found, otherwise three interleaved spirals. Reports
 * test accuracy, a confusion matrix and loss/accuracy curves, and saves a checkpoint (model, Adam state, the shuffling
 * generator, the history so far and the seed) from which {@code --resume} continues exactly where the run stopped.
 */
final class TrainDemo implements Demo {
    static final Path DEFAULT_DATA = Path.of("/usr/share/datasets/fashion-mnist");
    /** Test examples evaluated per forward pass. */
    static final int EVAL_CHUNK = 1000;
    static final String CHECKPOINT = "train-checkpoint.safetensors";
    static final List<String> IDX_FILES = List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
            "t10k-labels-idx1-ubyte");
    static final List<String> FASHION_CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
            "Sneaker", "Bag", "Ankle boot");

    /**
     * The architectures {@code --arch} offers: three on flat features, and two convolutional ones on [N, 1, 28, 28]
     * images ({@link #images()}), which need Fashion-MNIST (there is no synthetic image set to fall back to).
     */
    enum Arch {
        mlp, bn, residual, cnn, resnet;

        /** Whether this architecture takes images rather than flat feature vectors. */
        boolean images() {
            return this == cnn || this == resnet;
        }

        /**
         * The factor the learning rate is multiplied by after each epoch ({@code ExponentialLR}, stepped per epoch): 0.6
         * for the CNN, whose last epochs then settle into a minimum instead of hopping around one at the full rate (worth
         * about half a point of test accuracy at five epochs); 1, a constant rate, for the others (the ResNet has
         * {@link #oneCycle()} instead).
         */
        double lrDecay() {
            return this == cnn ? 0.6 : 1;
        }

        /**
         * Whether the rate follows one cycle over the whole run ({@code OneCycleLR} with PyTorch's defaults, stepped per
         * batch: up from a 25th of {@code --lr} over the first 30 % of the steps, then down to 1/250 000 of it, Adam's
         * β₁ cycling the other way): the ResNet's, 92.96 % against 92.08 % for a ×0.8 decay per epoch in a float32
         * PyTorch probe of the same network, data and flips.
         */
        boolean oneCycle() {
            return this == resnet;
        }

        /** Default learning rate on Fashion-MNIST: the one-cycle peak 3e-3 for the ResNet, 1e-3 for the others. */
        double fashionLr() {
            return oneCycle() ? 3e-3 : 1e-3;
        }

        /** Default epochs on Fashion-MNIST: 12 for the ResNet (its cycle), which keeps learning after five, 5 for the others. */
        int fashionEpochs() {
            return this == resnet ? 12 : 5;
        }

        /**
         * Default batch size on Fashion-MNIST: 64 for the convolutional networks, which learn more per epoch from twice
         * the steps of half the size (91.9 % against 91.4 % for the CNN), 128 for the others.
         */
        int fashionBatchSize() {
            return images() ? 64 : 128;
        }

        /**
         * The random changes made to each training batch: mirror images for the ResNet, which otherwise learns its
         * training set by heart (96 % training against 92 % test accuracy) well before its last epoch; none for the others.
         */
        List<Transform> augmentation() {
            return this == resnet ? List.of(new RandomHorizontalFlip()) : List.of();
        }
    }

    /**
     * What to train: the architecture, the data directory ({@code null}: the default, falling back to spirals when it is
     * absent), epochs, batch size and learning rate ({@code null}: the data's default, see {@link Data}), whether to resume,
     * the number of spiral points per class (tests shrink it) and the directory looked in when {@code data} is null.
     */
    record Config(Arch arch, Path data, Integer epochs, Integer batchSize, Double lr, boolean resume, int spiralPoints, Path defaultData) {
        static Config defaults() {
            return new Config(Arch.mlp, null, null, null, null, false, 300, DEFAULT_DATA);
        }
    }

    /** A train/test split with its class names, hidden width and default training settings. */
    record Data(String description, TensorDataset train, TensorDataset test, List<String> classes, int hidden, int epochs,
                int batchSize, double lr) {
        int features() {
            return train.inputs().shape(1);
        }
    }

    private final Config config;

    TrainDemo() {
        this(Config.defaults());
    }

    TrainDemo(Config config) {
        this.config = config;
    }

    @Override
    public String name() {
        return "train";
    }

    // ------------------------------------------------------------------ data

    /** Fashion-MNIST from {@code config.data()} (or the default directory when it exists), else the spirals. */
    static Data load(Config config, long seed) {
        Path dir = dataDirectory(config);
        if (dir == null) return spirals(config.spiralPoints(), seed, config.defaultData());
        boolean images = config.arch().images();
        TensorDataset train = standardise(Idx.mnist(dir, true), images), test = standardise(Idx.mnist(dir, false), images);
        return new Data("Fashion-MNIST from " + dir + " (" + train.size() + " training and " + test.size() + " test images)", train, test,
                FASHION_CLASSES, 256, config.arch().fashionEpochs(), config.arch().fashionBatchSize(), config.arch().fashionLr());
    }

    /**
     * The Fashion-MNIST directory to read, or null for the spirals (no {@code --data} and no default directory); throws
     * {@link IllegalArgumentException} with the reason when {@code --data} names no directory or one without the IDX files.
     */
    static Path dataDirectory(Config config) {
        Path dir = config.data() != null ? config.data() : config.defaultData();
        if (config.data() == null && !Files.isDirectory(dir)) return null;
        if (!Files.isDirectory(dir)) throw new IllegalArgumentException("--data " + dir + ": no such directory");
        List<String> missing = new ArrayList<>();
        for (String f : IDX_FILES) {
            if (!Files.isRegularFile(dir.resolve(f)) && !Files.isRegularFile(dir.resolve(f + ".gz"))) missing.add(f + "[.gz]");
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("--data " + dir + ": not a Fashion-MNIST directory, missing " + String.join(", ", missing)
                    + " (install the Debian package dataset-fashion-mnist, or omit --data to train on the synthetic spirals)");
        }
        return dir;
    }

    /** Checks what can be checked before any work starts: the data directory, the option values and the checkpoint to resume. */
    void validate(Path dir) {
        if (dataDirectory(config) == null && config.arch().images()) {
            throw new IllegalArgumentException("--arch " + config.arch() + " trains on images, and there are no Fashion-MNIST IDX files in "
                    + config.defaultData() + " (install the Debian package dataset-fashion-mnist or pass --data DIR; the synthetic fallback,"
                    + " the spirals, are 2-D points, which a convolution cannot use)");
        }
        if (config.epochs() != null && config.epochs() < 1) throw new IllegalArgumentException("--epochs must be at least 1, got " + config.epochs());
        if (config.batchSize() != null && config.batchSize() < 1) {
            throw new IllegalArgumentException("--batch-size must be at least 1, got " + config.batchSize());
        }
        if (config.lr() != null && !(config.lr() > 0)) throw new IllegalArgumentException("--lr must be positive, got " + config.lr());
        if (config.resume() && !Files.isRegularFile(dir.resolve(CHECKPOINT))) {
            throw new IllegalArgumentException("--resume: no checkpoint at " + dir.resolve(CHECKPOINT) + "; run without --resume first");
        }
    }

    /**
     * Images [N, 28, 28] in [0, 1] to [N, 784] (or to one-channel images [N, 1, 28, 28] for the convolutional
     * architectures), standardised with Fashion-MNIST's mean 0.2860 and deviation 0.3530.
     */
    private static TensorDataset standardise(TensorDataset images, boolean asImages) {
        Tensor x = images.inputs();
        int n = x.shape(0), pixels = x.size() / Math.max(n, 1);
        Tensor shaped = asImages ? x.reshape(n, 1, x.shape(1), x.shape(2)) : x.reshape(n, pixels);
        return new TensorDataset(shaped.sub(0.2860).div(0.3530), images.targets());
    }

    static Data spirals(int perClass, long seed, Path lookedIn) {
        TensorDataset train = Synthetic.spirals(perClass, 3, 0.2, new Rng(seed)), test = Synthetic.spirals(perClass / 2, 3, 0.2, new Rng(seed + 1));
        return new Data("synthetic spirals: three interleaved arms, " + train.size() + " training and " + test.size()
                + " test points (no Fashion-MNIST IDX files in " + lookedIn + ")", train, test, List.of("arm 0", "arm 1", "arm 2"),
                64, 30, 32, 0.01);
    }

    // ------------------------------------------------------------------ model

    static Module model(Arch arch, int in, int hidden, int classes, Rng rng) {
        return switch (arch) {
            case mlp -> new Sequential(new Linear(in, hidden, rng), new ReLU(), new Linear(hidden, hidden, rng), new ReLU(),
                    new Linear(hidden, classes, rng));
            case bn -> new Sequential(new Linear(in, hidden, rng), new BatchNorm1d(hidden), new ReLU(), new Linear(hidden, hidden, rng),
                    new BatchNorm1d(hidden), new ReLU(), new Linear(hidden, classes, rng));
            case residual -> new Sequential(new Linear(in, hidden, rng), new ReLU(), ResidualBlock.postActivation(hidden, hidden, rng),
                    ResidualBlock.postActivation(hidden, hidden, rng), new Linear(hidden, classes, rng));
            case cnn -> cnn(in, classes, rng);
            case resnet -> resnet(in, classes, rng);
        };
    }

    /**
     * Two convolution + max-pooling stages and a linear head, for [N, channels, 28, 28]: 3x3 convolutions (padding 1)
     * to 32 then 64 channels, each followed by BatchNorm2d and ReLU and a 2x2 max pool (28 to 14 to 7), then
     * {@code Linear(64 * 7 * 7, classes)}.
     */
    static Module cnn(int channels, int classes, Rng rng) {
        return new Sequential(
                new Conv2d(channels, 32, 3, 3, Conv2dOptions.DEFAULT.padding(1), false, rng), new BatchNorm2d(32), new ReLU(), new MaxPool2d(2),
                new Conv2d(32, 64, 3, 3, Conv2dOptions.DEFAULT.padding(1), false, rng), new BatchNorm2d(64), new ReLU(), new MaxPool2d(2),
                new Flatten(), new Linear(64 * 7 * 7, classes, rng));
    }

    /**
     * A small ResNet for [N, channels, 28, 28]: a 3x3 stem to 16 channels with BatchNorm2d and ReLU, then
     * {@link BasicBlock}s 16 to 16 (identity shortcut, 28x28), 16 to 32 and 32 to 64 (stride 2 with projection
     * shortcuts: 14x14, then 7x7), global average pooling and {@code Linear(64, classes)}.
     */
    static Module resnet(int channels, int classes, Rng rng) {
        return new Sequential(
                new Conv2d(channels, 16, 3, 3, Conv2dOptions.DEFAULT.padding(1), false, rng), new BatchNorm2d(16), new ReLU(),
                new BasicBlock(16, 16, 1, rng), new BasicBlock(16, 32, 2, rng), new BasicBlock(32, 64, 2, rng),
                new AdaptiveAvgPool2d(1), new Flatten(), new Linear(64, classes, rng));
    }

    // ------------------------------------------------------------------ training

    /** The per-epoch history: training loss and accuracy (over the epoch's batches), test loss and accuracy. */
    record History(List<Double> trainLoss, List<Double> trainAccuracy, List<Double> testLoss, List<Double> testAccuracy) implements Stateful {
        static History empty() {
            return new History(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        }

        private List<List<Double>> columns() {
            return List.of(trainLoss, trainAccuracy, testLoss, testAccuracy);
        }

        private static final List<String> NAMES = List.of("train_loss", "train_accuracy", "test_loss", "test_accuracy");

        @Override
        public Map<String, Tensor> stateTensors() {
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (int i = 0; i < NAMES.size(); i++) out.put(NAMES.get(i), Tensor.vector(columns().get(i).stream().mapToDouble(Double::doubleValue).toArray()));
            return out;
        }

        @Override
        public void loadStateTensors(Map<String, Tensor> state) {
            if (!state.keySet().equals(java.util.Set.copyOf(NAMES))) throw new IllegalArgumentException("history: expected keys " + NAMES + ", got " + state.keySet());
            for (int i = 0; i < NAMES.size(); i++) {
                columns().get(i).clear();
                for (double v : state.get(NAMES.get(i)).toArray()) columns().get(i).add(v);
            }
        }

        int epochs() {
            return testAccuracy.size();
        }
    }

    /** The outcome of a run: the data used, the history (resumed epochs included), the final confusion matrix and the checkpoint. */
    record Result(Data data, History history, int[][] confusion, Path checkpoint, int resumedFrom, int epochs, int batchSize, double lr,
                  List<Double> epochSeconds) {
        double testAccuracy() {
            return history.testAccuracy().get(history.epochs() - 1);
        }
    }

    Result train(long seed, Path dir, Progress progress) {
        validate(dir);
        Data data = load(config, seed);
        int epochs = config.epochs() != null ? config.epochs() : data.epochs();
        Path file = dir.resolve(CHECKPOINT);
        Map<String, String> recorded = config.resume() ? Checkpoint.metadata(file) : Map.of();
        // on --resume, what is not given again is the checkpoint's; what is given must agree with it
        int batchSize = config.batchSize() != null ? config.batchSize()
                : Integer.parseInt(recorded.getOrDefault("batch_size", Integer.toString(data.batchSize())));
        double lr = config.lr() != null ? config.lr() : Double.parseDouble(recorded.getOrDefault("lr", Double.toString(data.lr())));
        if (config.resume()) checkSameHyperparameters(recorded, file, lr, batchSize);

        Module model = model(config.arch(), data.features(), data.hidden(), data.classes().size(), new Rng(seed));
        if (batchSize < 2 && hasBatchNorm(model)) {
            throw new IllegalArgumentException("--batch-size must be at least 2 for --arch " + config.arch()
                    + ": its BatchNorm layers need two examples per batch for a variance, got " + batchSize);
        }
        Adam adam = new Adam(model.parameters(), Adam.DEFAULTS.withLr(lr));
        List<Transform> augment = config.arch().augmentation();
        TransformedDataset augmented = augment.isEmpty() ? null : new TransformedDataset(data.train(), new Rng(seed + 3), augment.toArray(Transform[]::new));
        DataLoader loader = new DataLoader(augmented == null ? data.train() : augmented, DataLoader.DEFAULTS.withBatchSize(Math.min(batchSize, data.train().size()))
                .withShuffle(new Rng(seed + 2)).withDropLast(true));
        History history = History.empty();
        TrainingState state = new TrainingState().add("model", model).add("optimizer", adam).add("loader", loader).add("history", history);
        // the cycle spans the run as first planned: on --resume, the checkpoint's plan, which the run then finishes
        int cycleEpochs = config.resume() && recorded.containsKey("cycle_epochs") ? Integer.parseInt(recorded.get("cycle_epochs")) : epochs;
        OneCycleLR cycle = config.arch().oneCycle() ? new OneCycleLR(adam, lr, cycleEpochs * loader.numBatches()) : null;
        ExponentialLR decay = config.arch().lrDecay() == 1 ? null : new ExponentialLR(adam, config.arch().lrDecay());
        if (decay != null) state.add("schedule", decay);
        if (cycle != null) state.add("schedule", cycle);
        if (augmented != null) state.add("augmentation", augmented);
        int resumedFrom = 0;
        if (config.resume()) {
            try {
                Checkpoint.restore(file, state);
            } catch (IllegalArgumentException e) {
                if (!e.getMessage().contains("part 'model'")) throw e;
                throw new IllegalArgumentException("--resume: " + file + " holds a different model than --arch " + config.arch() + " on "
                        + data.description().replaceAll(" \\(.*", "") + " (" + e.getMessage().lines().skip(1).findFirst().orElse("").strip() + ")");
            }
            String saved = state.metadata().getOrDefault("seed", Long.toString(seed));
            if (!saved.equals(Long.toString(seed))) {
                // the spirals and the model's first weights come from the seed: another seed would resume on other data
                throw new IllegalArgumentException("--resume: " + file + " was trained with --seed " + saved + ", not " + seed);
            }
            // the options are this run's (equal to the checkpoint's, checked above) at the schedule's point; the moments and
            // step counts are the checkpoint's (under one cycle the restored options are that point: its rate and β₁)
            if (cycle == null) adam.paramGroups().get(0).setOptions(Adam.DEFAULTS.withLr(decay == null ? lr : decay.getLastLr()[0]));
            resumedFrom = history.epochs();
            if (cycle != null) epochs = restOfCycle(file, cycleEpochs, resumedFrom, config.epochs());
        }
        if (cycle != null) state.metadata().put("cycle_epochs", Integer.toString(cycleEpochs));
        state.metadata().put("seed", Long.toString(seed));
        state.metadata().put("lr", Double.toString(lr));
        state.metadata().put("batch_size", Integer.toString(batchSize));
        progress.total((long) epochs * loader.numBatches());
        List<Double> seconds = new ArrayList<>();
        long started = System.nanoTime();
        for (int e = 0; e < epochs; e++) {
            long start = System.nanoTime();
            model.train();
            double lossSum = 0;
            long correct = 0, seen = 0;
            for (Batch b : loader) {
                int[] target = b.classes();
                adam.zeroGrad();
                try (Tape tape = Tape.record()) {
                    Tensor logits = model.forward(b.inputs());
                    Tensor loss = Losses.crossEntropy(logits, target, Reduction.MEAN);
                    tape.backward(loss);
                    lossSum += loss.item() * target.length;
                    correct += countCorrect(logits, target);
                    seen += target.length;
                }
                adam.step();
                if (cycle != null) cycle.step();
                progress.step();
            }
            if (decay != null) decay.step();
            seconds.add((System.nanoTime() - start) / 1e9);
            history.trainLoss().add(lossSum / seen);
            history.trainAccuracy().add((double) correct / seen);
            int[][] confusion = evaluate(model, data, history);
            // after every epoch, so that a run stopped part way resumes from its last finished epoch
            Checkpoint.save(file, state.setEpoch(history.epochs()));
            progress.report(String.format(java.util.Locale.ROOT, "epoch %d/%d: train loss %.4f, accuracy %.2f %% | test loss %.4f, accuracy %.2f %% | %.1f s",
                    resumedFrom + e + 1, resumedFrom + epochs, history.trainLoss().getLast(), 100 * history.trainAccuracy().getLast(),
                    history.testLoss().getLast(), 100 * history.testAccuracy().getLast(), (System.nanoTime() - started) / 1e9));
            if (e == epochs - 1) return new Result(data, history, confusion, file, resumedFrom, epochs, batchSize, lr, seconds);
        }
        throw new AssertionError("unreachable");
    }

    /**
     * The epochs a resumed one-cycle run trains: the rest of the cycle the checkpoint planned, or {@code --epochs} if
     * given and within it. A cycle cannot be extended (its rates are fixed by its length), so a finished one, or a
     * request past its end, is refused, saying what to do instead.
     */
    static int restOfCycle(Path file, int cycleEpochs, int done, Integer requested) {
        int rest = cycleEpochs - done;
        if (rest <= 0) {
            throw new IllegalArgumentException("--resume: " + file + " finished its one-cycle schedule of " + cycleEpochs
                    + " epoch(s); a cycle cannot be extended, so start afresh without --resume (with --epochs for a longer cycle)");
        }
        if (requested != null && requested > rest) {
            throw new IllegalArgumentException("--resume: " + file + " is " + done + " epoch(s) into a one-cycle schedule of " + cycleEpochs
                    + "; --epochs " + requested + " would run past its end, expected at most " + rest);
        }
        return requested != null ? requested : rest;
    }

    static boolean hasBatchNorm(Module m) {
        if (m instanceof BatchNorm) return true;
        for (Module child : m.namedChildren().values()) if (hasBatchNorm(child)) return true;
        return false;
    }

    /**
     * Resuming with another learning rate or batch size would silently make a run that neither the checkpoint's settings
     * nor the new ones describe: refused, naming both. (Checkpoints written before these were recorded are not checked.)
     */
    static void checkSameHyperparameters(Map<String, String> saved, Path file, double lr, int batchSize) {
        String savedLr = saved.get("lr"), savedBatch = saved.get("batch_size");
        List<String> differ = new ArrayList<>();
        if (savedLr != null && Double.parseDouble(savedLr) != lr) differ.add("--lr " + savedLr + " (this run: " + lr + ")");
        if (savedBatch != null && Integer.parseInt(savedBatch) != batchSize) {
            differ.add("--batch-size " + savedBatch + " (this run: " + batchSize + ")");
        }
        if (!differ.isEmpty()) {
            throw new IllegalArgumentException("--resume: " + file + " was trained with " + String.join(" and ", differ)
                    + "; resume with the same values, or start afresh without --resume");
        }
    }

    /** Test loss and accuracy into the history; returns the confusion matrix (rows: true class, columns: predicted). */
    private static int[][] evaluate(Module model, Data data, History history) {
        model.eval();
        int k = data.classes().size();
        int[][] confusion = new int[k][k];
        int n = data.test().size();
        int[] target = new DataLoader(data.test(), DataLoader.DEFAULTS.withBatchSize(n)).iterator().next().classes();
        // in chunks: the activations of a convolutional network on all 10,000 test images at once would need gigabytes
        List<Tensor> chunks = new ArrayList<>();
        for (Batch b : new DataLoader(data.test(), DataLoader.DEFAULTS.withBatchSize(EVAL_CHUNK))) chunks.add(model.forward(b.inputs()));
        Tensor logits = Tensor.concat(0, chunks.toArray(Tensor[]::new));
        history.testLoss().add(Losses.crossEntropy(logits, target, Reduction.MEAN).item());
        int[] predicted = argmax(logits);
        int correct = 0;
        for (int i = 0; i < n; i++) {
            confusion[target[i]][predicted[i]]++;
            if (predicted[i] == target[i]) correct++;
        }
        history.testAccuracy().add((double) correct / n);
        model.train();
        return confusion;
    }

    static int[] argmax(Tensor logits) {
        int n = logits.shape(0), k = logits.shape(1);
        double[] v = logits.toArray();
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int j = 1; j < k; j++) if (v[i * k + j] > v[i * k + best]) best = j;
            out[i] = best;
        }
        return out;
    }

    private static int countCorrect(Tensor logits, int[] target) {
        int[] p = argmax(logits.detach());
        int c = 0;
        for (int i = 0; i < p.length; i++) if (p[i] == target[i]) c++;
        return c;
    }

    // ------------------------------------------------------------------ checkpoint layout

    // ------------------------------------------------------------------ report

    @Override
    public Section run(long seed, Path dir, Progress progress) throws Exception {
        Result r = train(seed, dir, progress);
        History h = r.history();
        double[] epochs = new double[h.epochs()];
        for (int i = 0; i < epochs.length; i++) epochs[i] = i + 1;
        double lo = Math.min(h.trainLoss().stream().mapToDouble(Double::doubleValue).min().orElse(1), h.testLoss().stream().mapToDouble(Double::doubleValue).min().orElse(1));
        double hi = Math.max(h.trainLoss().stream().mapToDouble(Double::doubleValue).max().orElse(1), h.testLoss().stream().mapToDouble(Double::doubleValue).max().orElse(1));
        // a log axis only when the loss spans more than a decade: within one, its only labels would be the decades around it
        boolean log = hi > 10 * lo;
        XYChart loss = Charts.chart("Cross-entropy loss per epoch (" + config.arch() + ")", "epoch", log ? "loss (log scale)" : "loss", false, log);
        Charts.line(loss, "training (mean over the epoch's batches)", epochs, toArray(h.trainLoss()));
        Charts.line(loss, "test", epochs, toArray(h.testLoss()));
        if (log) loss.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(lo)))).setYAxisMax(Math.pow(10, Math.ceil(Math.log10(hi))));
        XYChart accuracy = Charts.chart("Accuracy per epoch (" + config.arch() + ")", "epoch", "accuracy", false, false);
        Charts.line(accuracy, "training (over the epoch's batches)", epochs, toArray(h.trainAccuracy()));
        Charts.line(accuracy, "test", epochs, toArray(h.testAccuracy()));
        accuracy.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSE);
        if (epochs.length == 1) {
            loss.getSeriesMap().values().forEach(s -> s.setMarker(org.knowm.xchart.style.markers.SeriesMarkers.CIRCLE));
            accuracy.getSeriesMap().values().forEach(s -> s.setMarker(org.knowm.xchart.style.markers.SeriesMarkers.CIRCLE));
        }
        List<Path> charts = List.of(Charts.save(loss, dir, "train-loss"), Charts.save(accuracy, dir, "train-accuracy"));

        StringBuilder md = new StringBuilder();
        md.append("Data: ").append(r.data().description()).append(".\n\n");
        double decay = config.arch().lrDecay();
        List<Transform> augment = config.arch().augmentation();
        md.append(String.format("Model --arch %s, Adam (lr %s%s), batch size %d%s, %d epoch(s)%s.%n%n", config.arch(), r.lr(),
                config.arch().oneCycle() ? " at the peak of one cycle over the run (OneCycleLR, stepped per batch)"
                        : decay == 1 ? "" : ", multiplied by " + decay + " after each epoch", r.batchSize(),
                augment.isEmpty() ? "" : ", training batches augmented by " + augment, r.epochs(),
                r.resumedFrom() > 0 ? ", resumed after epoch " + r.resumedFrom() + " from the checkpoint" : ""));
        md.append(String.format("Test accuracy: %.2f %% after %d epoch(s) (test loss %.4f, training loss %.4f).%n%n", 100 * r.testAccuracy(),
                h.epochs(), h.testLoss().get(h.epochs() - 1), h.trainLoss().get(h.epochs() - 1)));
        md.append(String.format("Training time per epoch (without the test pass): %s s, on %d cores.%n%n", r.epochSeconds().stream()
                .map(t -> String.format("%.1f", t)).collect(java.util.stream.Collectors.joining(", ")), Runtime.getRuntime().availableProcessors()));
        md.append("| epoch | training loss | training accuracy | test loss | test accuracy |\n|---|---|---|---|---|\n");
        int every = (h.epochs() + 9) / 10; // about ten rows; the charts have every epoch
        for (int i = 0; i < h.epochs(); i++) {
            if (i != 0 && (i + 1) % every != 0 && i != h.epochs() - 1) continue;
            md.append(String.format("| %d | %.4f | %.2f %% | %.4f | %.2f %% |%n", i + 1, h.trainLoss().get(i), 100 * h.trainAccuracy().get(i),
                    h.testLoss().get(i), 100 * h.testAccuracy().get(i)));
        }
        md.append("\nConfusion matrix on the test set (rows: true class, columns: predicted):\n\n|  |");
        List<String> names = r.data().classes();
        for (String c : names) md.append(' ').append(c).append(" |");
        md.append(" recall |\n|---|");
        md.append("---|".repeat(names.size() + 1)).append('\n');
        for (int i = 0; i < names.size(); i++) {
            md.append("| ").append(names.get(i)).append(" |");
            int total = 0;
            for (int j = 0; j < names.size(); j++) {
                md.append(' ').append(r.confusion()[i][j]).append(" |");
                total += r.confusion()[i][j];
            }
            md.append(String.format(" %.1f %% |%n", total == 0 ? 0.0 : 100.0 * r.confusion()[i][i] / total));
        }
        md.append("\nCheckpoint (model, Adam state, shuffling generator, history, seed): ").append(r.checkpoint().getFileName())
                .append("; descent train --resume continues from it with --epochs more epochs.\n");
        return new Section("Training a classifier",
                "The curves show training and test loss falling and accuracy rising epoch by epoch on " + r.data().description().replaceAll(" \\(.*", "")
                        + "; the confusion matrix shows which classes the model still mixes up. The final test accuracy is "
                        + String.format("%.1f %%.", 100 * r.testAccuracy()),
                md.toString(), charts, List.of(
                        "Training and test cross-entropy per epoch: both fall; a widening gap would mean overfitting.",
                        "Training and test accuracy per epoch."));
    }

    private static double[] toArray(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
