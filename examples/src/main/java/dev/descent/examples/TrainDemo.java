package dev.descent.examples;

import dev.descent.core.Rng;
import dev.descent.core.Tape;
import dev.descent.core.Tensor;
import dev.descent.nn.BatchNorm1d;
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
import dev.descent.nn.data.Synthetic;
import dev.descent.nn.data.TensorDataset;
import dev.descent.nn.io.Checkpoint;
import dev.descent.optim.Adam;
import dev.descent.optim.StateDict;
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
    static final String CHECKPOINT = "train-checkpoint.safetensors";
    static final List<String> IDX_FILES = List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
            "t10k-labels-idx1-ubyte");
    static final List<String> FASHION_CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
            "Sneaker", "Bag", "Ankle boot");

    /** The architectures {@code --arch} offers. */
    enum Arch { mlp, bn, residual }

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
        TensorDataset train = flatten(Idx.mnist(dir, true)), test = flatten(Idx.mnist(dir, false));
        return new Data("Fashion-MNIST from " + dir + " (" + train.size() + " training and " + test.size() + " test images)", train, test,
                FASHION_CLASSES, 256, 5, 128, 1e-3);
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
        dataDirectory(config);
        if (config.epochs() != null && config.epochs() < 1) throw new IllegalArgumentException("--epochs must be at least 1, got " + config.epochs());
        if (config.batchSize() != null && config.batchSize() < 1) {
            throw new IllegalArgumentException("--batch-size must be at least 1, got " + config.batchSize());
        }
        if (config.lr() != null && !(config.lr() > 0)) throw new IllegalArgumentException("--lr must be positive, got " + config.lr());
        if (config.resume() && !Files.isRegularFile(dir.resolve(CHECKPOINT))) {
            throw new IllegalArgumentException("--resume: no checkpoint at " + dir.resolve(CHECKPOINT) + "; run without --resume first");
        }
    }

    /** Images [N, 28, 28] in [0, 1] to [N, 784], standardised with Fashion-MNIST's mean 0.2860 and deviation 0.3530. */
    private static TensorDataset flatten(TensorDataset images) {
        int n = images.inputs().shape(0), pixels = images.inputs().size() / Math.max(n, 1);
        return new TensorDataset(images.inputs().reshape(n, pixels).sub(0.2860).div(0.3530), images.targets());
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
        };
    }

    // ------------------------------------------------------------------ training

    /** The per-epoch history: training loss and accuracy (over the epoch's batches), test loss and accuracy. */
    record History(List<Double> trainLoss, List<Double> trainAccuracy, List<Double> testLoss, List<Double> testAccuracy) {
        static History empty() {
            return new History(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        }

        int epochs() {
            return testAccuracy.size();
        }
    }

    /** The outcome of a run: the data used, the history (resumed epochs included), the final confusion matrix and the checkpoint. */
    record Result(Data data, History history, int[][] confusion, Path checkpoint, int resumedFrom, int epochs, int batchSize, double lr) {
        double testAccuracy() {
            return history.testAccuracy().get(history.epochs() - 1);
        }
    }

    Result train(long seed, Path dir, Progress progress) {
        validate(dir);
        Data data = load(config, seed);
        int epochs = config.epochs() != null ? config.epochs() : data.epochs();
        Path file = dir.resolve(CHECKPOINT);
        Checkpoint resumeFrom = config.resume() ? Checkpoint.load(file) : null;
        // on --resume, what is not given again is the checkpoint's; what is given must agree with it
        int batchSize = config.batchSize() != null ? config.batchSize() : (int) recorded(resumeFrom, "run.batch_size", data.batchSize());
        double lr = config.lr() != null ? config.lr() : recorded(resumeFrom, "run.lr", data.lr());
        if (resumeFrom != null) checkSameHyperparameters(resumeFrom.optimizer(), file, lr, batchSize);

        Module model = model(config.arch(), data.features(), data.hidden(), data.classes().size(), new Rng(seed));
        if (batchSize < 2 && hasBatchNorm(model)) {
            throw new IllegalArgumentException("--batch-size must be at least 2 for --arch " + config.arch()
                    + ": its BatchNorm layers need two examples per batch for a variance, got " + batchSize);
        }
        Adam adam = new Adam(model.parameters(), Adam.DEFAULTS.withLr(lr));
        Rng shuffle = new Rng(seed + 2);
        History history = History.empty();
        int resumedFrom = 0;
        if (config.resume()) {
            Checkpoint c = resumeFrom;
            try {
                c.restore(model);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--resume: " + file + " holds a different model than --arch " + config.arch() + " on "
                        + data.description().replaceAll(" \\(.*", "") + " (" + e.getMessage().lines().skip(1).findFirst().orElse("").strip() + ")");
            }
            Tensor savedSeed = c.optimizer().get("run.seed");
            long saved = savedSeed == null ? seed : ((long) savedSeed.data()[0] << 32) | (long) savedSeed.data()[1];
            if (saved != seed) {
                // the spirals and the model's first weights come from the seed: another seed would resume on other data
                throw new IllegalArgumentException("--resume: " + file + " was trained with --seed " + saved + ", not " + seed);
            }
            adam.loadStateDict(adamState(c.optimizer(), adam));
            history = history(c.optimizer());
            shuffle = c.rng();
            resumedFrom = history.epochs();
        }
        DataLoader loader = new DataLoader(data.train(), Math.min(batchSize, data.train().size()), true, true, shuffle);
        progress.total((long) epochs * loader.numBatches());
        long started = System.nanoTime();
        for (int e = 0; e < epochs; e++) {
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
                progress.step();
            }
            history.trainLoss().add(lossSum / seen);
            history.trainAccuracy().add((double) correct / seen);
            int[][] confusion = evaluate(model, data, history);
            progress.report(String.format(java.util.Locale.ROOT, "epoch %d/%d: train loss %.4f, accuracy %.2f %% | test loss %.4f, accuracy %.2f %% | %.1f s",
                    resumedFrom + e + 1, resumedFrom + epochs, history.trainLoss().getLast(), 100 * history.trainAccuracy().getLast(),
                    history.testLoss().getLast(), 100 * history.testAccuracy().getLast(), (System.nanoTime() - started) / 1e9));
            if (e == epochs - 1) {
                Map<String, Tensor> state = checkpointState(adam, history);
                state.put("run.seed", Tensor.vector(seed >>> 32, seed & 0xFFFFFFFFL)); // two exact halves: a double holds 53 bits
                state.put("run.lr", Tensor.vector(lr));
                state.put("run.batch_size", Tensor.vector(batchSize));
                Checkpoint.save(file, model, state, shuffle);
                return new Result(data, history, confusion, file, resumedFrom, epochs, batchSize, lr);
            }
        }
        throw new AssertionError("unreachable");
    }

    /** A hyperparameter the checkpoint recorded, or {@code otherwise} (no checkpoint, or one written before it was recorded). */
    private static double recorded(Checkpoint saved, String key, double otherwise) {
        Tensor t = saved == null ? null : saved.optimizer().get(key);
        return t == null ? otherwise : t.data()[0];
    }

    static boolean hasBatchNorm(Module m) {
        if (m instanceof BatchNorm1d) return true;
        for (Module child : m.namedChildren().values()) if (hasBatchNorm(child)) return true;
        return false;
    }

    /**
     * Resuming with another learning rate or batch size would silently make a run that neither the checkpoint's settings
     * nor the new ones describe: refused, naming both. (Checkpoints written before these were recorded are not checked.)
     */
    static void checkSameHyperparameters(Map<String, Tensor> saved, Path file, double lr, int batchSize) {
        Tensor savedLr = saved.get("run.lr"), savedBatch = saved.get("run.batch_size");
        List<String> differ = new ArrayList<>();
        if (savedLr != null && savedLr.data()[0] != lr) differ.add("--lr " + savedLr.data()[0] + " (this run: " + lr + ")");
        if (savedBatch != null && (int) savedBatch.data()[0] != batchSize) {
            differ.add("--batch-size " + (int) savedBatch.data()[0] + " (this run: " + batchSize + ")");
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
        int[] target = new DataLoader(data.test(), n, false, false, null).iterator().next().classes();
        Tensor logits = model.forward(data.test().inputs());
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

    /** Adam's state (PyTorch's names, keyed {@code adam.<index>.<name>}) and the history, as the checkpoint's optimizer part. */
    static Map<String, Tensor> checkpointState(Adam adam, History history) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        adam.stateDict().state().forEach((i, s) -> {
            out.put("adam." + i + ".step", Tensor.vector(s.step()));
            s.buffers().forEach((name, values) -> out.put("adam." + i + "." + name, Tensor.vector(values.clone())));
        });
        out.put("history.train_loss", vector(history.trainLoss()));
        out.put("history.train_accuracy", vector(history.trainAccuracy()));
        out.put("history.test_loss", vector(history.testLoss()));
        out.put("history.test_accuracy", vector(history.testAccuracy()));
        return out;
    }

    private static Tensor vector(List<Double> values) {
        return Tensor.vector(values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    static StateDict<Adam.Options> adamState(Map<String, Tensor> saved, Adam adam) {
        Map<Integer, StateDict.ParamState> state = new LinkedHashMap<>();
        int params = adam.paramGroups().get(0).params().size();
        for (int i = 0; i < params; i++) {
            Tensor step = saved.get("adam." + i + ".step");
            if (step == null) continue;
            Map<String, double[]> buffers = new LinkedHashMap<>();
            for (String name : List.of("exp_avg", "exp_avg_sq")) {
                Tensor b = saved.get("adam." + i + "." + name);
                if (b == null) throw new IllegalArgumentException("--resume: the checkpoint lacks adam." + i + "." + name);
                buffers.put(name, b.toArray());
            }
            state.put(i, new StateDict.ParamState((long) step.item(), Map.of(), buffers));
        }
        List<Integer> indices = new ArrayList<>();
        for (int i = 0; i < params; i++) indices.add(i);
        // the hyperparameters are this run's (so --lr can change on resume); the moments and step counts are the checkpoint's
        return new StateDict<>(state, List.of(new StateDict.GroupState<>(adam.paramGroups().get(0).options(), indices)));
    }

    static History history(Map<String, Tensor> saved) {
        History h = History.empty();
        for (String key : List.of("train_loss", "train_accuracy", "test_loss", "test_accuracy")) {
            Tensor t = saved.get("history." + key);
            if (t == null) throw new IllegalArgumentException("--resume: the checkpoint lacks history." + key);
            List<Double> target = switch (key) {
                case "train_loss" -> h.trainLoss();
                case "train_accuracy" -> h.trainAccuracy();
                case "test_loss" -> h.testLoss();
                default -> h.testAccuracy();
            };
            for (double v : t.toArray()) target.add(v);
        }
        return h;
    }

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
        md.append(String.format("Model --arch %s, Adam (lr %s), batch size %d, %d epoch(s)%s.%n%n", config.arch(), r.lr(), r.batchSize(), r.epochs(),
                r.resumedFrom() > 0 ? ", resumed after epoch " + r.resumedFrom() + " from the checkpoint" : ""));
        md.append(String.format("Test accuracy: %.2f %% after %d epoch(s) (test loss %.4f, training loss %.4f).%n%n", 100 * r.testAccuracy(),
                h.epochs(), h.testLoss().get(h.epochs() - 1), h.trainLoss().get(h.epochs() - 1)));
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
