package dev.descent.nn.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.descent.core.Rng;
import dev.descent.core.Stateful;
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
import dev.descent.optim.Adafactor;
import dev.descent.optim.Adam;
import dev.descent.optim.NAdam;
import dev.descent.optim.Optimizer;
import dev.descent.optim.RMSprop;
import dev.descent.optim.SGD;
import dev.descent.optim.schedule.CosineAnnealingLR;
import dev.descent.optim.schedule.CosineAnnealingWarmRestarts;
import dev.descent.optim.schedule.LinearLR;
import dev.descent.optim.schedule.LrScheduler;
import dev.descent.optim.schedule.OneCycleLR;
import dev.descent.optim.schedule.SequentialLR;
import dev.descent.optim.schedule.StepLR;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Exact resume anywhere: a run checkpointed after step k (every k, mid-epoch and at epoch boundaries) and continued
 * from that file by freshly built objects, seeded differently, ends with the same bits as the run that was never
 * interrupted, for several optimizers and schedulers and a model with BatchNorm and Dropout.
 */
class ResumeTest {
    /** 42 examples in batches of 8: six batches an epoch, the last of two; 15 steps are two and a half epochs. */
    private static final int EXAMPLES = 42, BATCH = 8, STEPS = 15;
    private static final TensorDataset DATA = data();

    @TempDir
    Path dir;

    private static TensorDataset data() {
        Rng rng = new Rng(11);
        double[] classes = new double[EXAMPLES];
        for (int i = 0; i < EXAMPLES; i++) classes[i] = rng.nextInt(3);
        return new TensorDataset(Tensor.uniform(rng, -1, 1, EXAMPLES, 4), Tensor.vector(classes));
    }

    /** One training run's objects; {@code seed} varies the initial weights and generators, which a restore overwrites. */
    private record Run(Sequential model, Optimizer<?> optimizer, LrScheduler scheduler, DataLoader loader, TrainingState state) {
        static Run of(String optimizer, String scheduler, long seed) {
            Rng dropout = new Rng(seed + 1);
            Sequential model = new Sequential(new Linear(4, 8, new Rng(seed)), new BatchNorm1d(8), new ReLU(), new Dropout(0.3, dropout),
                    new Linear(8, 3, new Rng(seed + 2)));
            Optimizer<?> opt = OPTIMIZERS.get(optimizer).apply(model.parameters());
            LrScheduler sched = SCHEDULERS.get(scheduler).apply(opt);
            DataLoader loader = new DataLoader(DATA, DataLoader.DEFAULTS.withBatchSize(BATCH).withShuffle(new Rng(seed + 3)));
            TrainingState state = new TrainingState().add("model", model).add("optimizer", opt).add("scheduler", sched).add("loader", loader)
                    .add("dropout_rng", dropout);
            return new Run(model, opt, sched, loader, state);
        }

        /** Trains from the state's step to {@link #STEPS}, saving {@code ckpt-<step>} after every step when {@code saveIn} is set. */
        void train(Path saveIn) {
            model.train();
            long step = state.step();
            for (long epoch = state.epoch(); step < STEPS; epoch++) {
                state.setEpoch(epoch);
                for (Batch b : loader) {
                    optimizer.zeroGrad();
                    try (Tape tape = Tape.record()) {
                        tape.backward(Losses.crossEntropy(model.forward(b.inputs()), b.classes(), Reduction.MEAN));
                    }
                    optimizer.step();
                    scheduler.step();
                    step++;
                    if (saveIn != null) Checkpoint.save(saveIn.resolve("ckpt-" + step), state.setStep(step));
                    if (step == STEPS) break;
                }
            }
        }

        /** Every bit that matters: parameters, buffers, optimizer and scheduler state. */
        Map<String, Tensor> everything() {
            Map<String, Tensor> out = new LinkedHashMap<>();
            model.stateDict().forEach((k, v) -> out.put("model." + k, v));
            optimizer.stateTensors().forEach((k, v) -> out.put("optimizer." + k, v));
            ((Stateful) scheduler).stateTensors().forEach((k, v) -> out.put("scheduler." + k, v));
            return out;
        }
    }

    private static final Map<String, Function<List<Tensor>, Optimizer<?>>> OPTIMIZERS = new LinkedHashMap<>();
    private static final Map<String, Function<Optimizer<?>, LrScheduler>> SCHEDULERS = new LinkedHashMap<>();

    static {
        OPTIMIZERS.put("Adam", p -> new Adam(p, Adam.DEFAULTS.withLr(0.01).withAmsgrad(true)));
        OPTIMIZERS.put("NAdam", p -> new NAdam(p));
        OPTIMIZERS.put("SGD-Nesterov", p -> new SGD(p, SGD.Options.lr(0.05).withMomentum(0.9).withNesterov(true)));
        OPTIMIZERS.put("Adafactor", p -> new Adafactor(p, Adafactor.DEFAULTS.withRelativeStep(false)));
        OPTIMIZERS.put("RMSprop-centered", p -> new RMSprop(p, RMSprop.DEFAULTS.withCentered(true).withMomentum(0.5)));
        SCHEDULERS.put("StepLR", o -> new StepLR(o, 4, 0.5));
        SCHEDULERS.put("SequentialLR", o -> new SequentialLR(o, List.of(new LinearLR(o, 0.2, 1.0, 5), new CosineAnnealingLR(o, 10)), new int[] {5}));
        SCHEDULERS.put("CosineAnnealingWarmRestarts", o -> new CosineAnnealingWarmRestarts(o, 4, 2, 1e-4));
        SCHEDULERS.put("OneCycleLR", o -> new OneCycleLR(o, 0.05, STEPS));
    }

    static Stream<Arguments> runs() {
        List<Arguments> out = new ArrayList<>();
        for (String o : OPTIMIZERS.keySet()) {
            for (String s : SCHEDULERS.keySet()) {
                // OneCycleLR cycles the momentum, which Adafactor has none of
                if (!(s.equals("OneCycleLR") && o.equals("Adafactor"))) out.add(Arguments.of(o, s));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource("runs")
    void resumingAfterAnyStepGivesTheBitsOfTheUninterruptedRun(String optimizer, String scheduler) {
        Run uninterrupted = Run.of(optimizer, scheduler, 1);
        uninterrupted.train(dir);
        Map<String, Tensor> expected = uninterrupted.everything();
        for (int k = 1; k < STEPS; k++) {
            Run resumed = Run.of(optimizer, scheduler, 100 + k);
            Checkpoint.restore(dir.resolve("ckpt-" + k), resumed.state);
            assertEquals(k, resumed.state.step());
            resumed.train(null);
            Map<String, Tensor> actual = resumed.everything();
            assertEquals(expected.keySet(), actual.keySet());
            for (Map.Entry<String, Tensor> e : expected.entrySet()) {
                double[] a = e.getValue().toArray(), b = actual.get(e.getKey()).toArray();
                int differing = 0;
                for (int i = 0; i < a.length; i++) if (Double.doubleToRawLongBits(a[i]) != Double.doubleToRawLongBits(b[i])) differing++;
                assertEquals(0, differing, "resumed after step " + k + " (epoch " + (k / 6) + ", batch " + (k % 6) + "): " + e.getKey()
                        + " differs in " + differing + " of " + a.length + " elements");
            }
        }
    }
}
