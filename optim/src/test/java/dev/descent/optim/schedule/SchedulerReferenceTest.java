package dev.descent.optim.schedule;

import static dev.descent.optim.Fixtures.doubles;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.descent.optim.Fixtures;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.descent.core.Tape;
import dev.descent.core.Tensor;
import dev.descent.optim.Adam;
import dev.descent.optim.Hyperparameters;
import dev.descent.optim.Optimizer;
import dev.descent.optim.ParamGroup;
import dev.descent.optim.SGD;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every scheduler gives PyTorch's learning-rate sequence (and momentum or β₁ sequence, for the cycling ones) over 30
 * epochs, within {@code |a − b| <= 1e-12 + 1e-12 |b|}, for the cases of {@code fixtures/torch_schedules.json} (written by
 * the committed {@code fixtures/torch_schedules.py}): two parameter groups with base rates 0.1 and 0.01, several
 * non-default configurations of each scheduler, SGDR stepped by fractional epochs, and ReduceLROnPlateau driven by a
 * fixed metric sequence. And the
 * optimizers use what the schedulers set: 30-step trajectories of SGD and Adam on a quadratic under schedulers equal
 * PyTorch's within {@code 1e-12 + 1e-9 |b|}.
 */
class SchedulerReferenceTest {
    private static final double ATOL = 1e-12, RTOL = 1e-12;

    private static final Map<String, Schedule> LAMBDAS = Map.of(
            "pow095", e -> Math.pow(0.95, e),
            "inverse", e -> 1.0 / (e + 1),
            "halfAfter10", e -> e >= 10 ? 0.5 : 1.0);

    @TestFactory
    Stream<DynamicTest> schedulersFollowPyTorch() {
        JsonObject root = Fixtures.load("torch_schedules");
        double[] metrics = doubles(root.getAsJsonArray("metrics"));
        return StreamSupport.stream(root.getAsJsonArray("cases").spliterator(), false).map(JsonElement::getAsJsonObject)
                .map(c -> DynamicTest.dynamicTest(c.get("name").getAsString(), () -> {
                    if (c.has("optimizer") && c.get("optimizer").getAsString().equals("adam")) {
                        Adam adam = new Adam(List.of(Tensor.zeros(2).requiresGrad(true)), Adam.DEFAULTS.withLr(0.1));
                        adam.addParamGroup(List.of(Tensor.zeros(3).requiresGrad(true)), Adam.DEFAULTS.withLr(0.01));
                        check(c, adam, Adam.Options::beta1, metrics);
                    } else {
                        SGD.Options o = SGD.Options.lr(0.1).withMomentum(0.9);
                        SGD sgd = new SGD(List.of(Tensor.zeros(2).requiresGrad(true)), o);
                        sgd.addParamGroup(List.of(Tensor.zeros(3).requiresGrad(true)), o.withLr(0.01));
                        check(c, sgd, SGD.Options::momentum, metrics);
                    }
                }));
    }

    @TestFactory
    Stream<DynamicTest> trainingUnderASchedulerFollowsPyTorch() {
        JsonObject root = Fixtures.load("torch_schedules");
        return StreamSupport.stream(root.getAsJsonArray("training").spliterator(), false).map(JsonElement::getAsJsonObject)
                .map(c -> DynamicTest.dynamicTest(c.get("name").getAsString(), () -> {
                    Tensor p = Tensor.vector(1.5, -0.5).requiresGrad(true);
                    double lr = c.get("lr").getAsDouble();
                    if (c.get("optimizer").getAsString().equals("adam")) train(c, new Adam(List.of(p), Adam.DEFAULTS.withLr(lr)), p);
                    else train(c, new SGD(List.of(p), SGD.Options.lr(lr).withMomentum(0.9)), p);
                }));
    }

    private static <H extends Hyperparameters<H>> void train(JsonObject c, Optimizer<H> opt, Tensor p) {
        LrScheduler scheduler = (LrScheduler) build(opt, c.getAsJsonObject("scheduler"));
        JsonArray trajectory = c.getAsJsonArray("trajectory");
        for (int t = 0; t < trajectory.size(); t++) {
            opt.step(() -> {
                opt.zeroGrad();
                try (Tape tape = Tape.record()) {
                    Tensor x = p.slice(0, 0, 1), y = p.slice(0, 1, 2);
                    Tensor loss = x.square().add(y.square().mul(10)).mul(0.5).sum();
                    tape.backward(loss);
                    return loss;
                }
            });
            scheduler.step();
            double[] want = doubles(trajectory.get(t).getAsJsonArray()), got = p.toArray();
            for (int i = 0; i < want.length; i++) {
                if (!(Math.abs(got[i] - want[i]) <= 1e-12 + 1e-9 * Math.abs(want[i]))) fail("step " + t + ", element " + i + ": descent " + got[i] + ", torch " + want[i]);
            }
        }
    }

    private static <H extends Hyperparameters<H>> void check(JsonObject c, Optimizer<H> opt, Function<H, Double> momentum, double[] metrics) {
        Object scheduler = build(opt, c.getAsJsonObject("scheduler"));
        JsonArray lrs = c.getAsJsonArray("lr");
        JsonArray moms = c.has("momentum") ? c.getAsJsonArray("momentum") : null;
        for (int epoch = 0; epoch < lrs.size(); epoch++) {
            if (epoch > 0) {
                if (scheduler instanceof ReduceLROnPlateau r) r.step(metrics[epoch - 1]);
                else if (c.has("stepEpochs")) ((CosineAnnealingWarmRestarts) scheduler).step(c.getAsJsonArray("stepEpochs").get(epoch - 1).getAsDouble());
                else ((LrScheduler) scheduler).step();
            }
            double[] want = doubles(lrs.get(epoch).getAsJsonArray());
            double[] got = opt.paramGroups().stream().mapToDouble(ParamGroup::lr).toArray();
            for (int g = 0; g < want.length; g++) assertClose(want[g], got[g], "epoch " + epoch + ", group " + g + ", lr");
            double[] last = scheduler instanceof ReduceLROnPlateau r ? r.getLastLr() : ((LrScheduler) scheduler).getLastLr();
            assertArrayEquals(got, last, 0.0, "getLastLr at epoch " + epoch);
            if (moms != null) {
                double[] wantM = doubles(moms.get(epoch).getAsJsonArray());
                for (int g = 0; g < wantM.length; g++) {
                    assertClose(wantM[g], momentum.apply(opt.paramGroups().get(g).options()), "epoch " + epoch + ", group " + g + ", momentum");
                }
            }
        }
    }

    /** Builds the scheduler a spec of the fixture describes, with PyTorch's defaults for the arguments it leaves out. */
    private static <H extends Hyperparameters<H>> Object build(Optimizer<H> opt, JsonObject spec) {
        JsonObject a = spec.has("args") ? spec.getAsJsonObject("args") : new JsonObject();
        return switch (spec.get("kind").getAsString()) {
            case "StepLR" -> new StepLR(opt, a.get("step_size").getAsInt(), num(a, "gamma", 0.1));
            case "MultiStepLR" -> new MultiStepLR(opt, ints(a.getAsJsonArray("milestones")), num(a, "gamma", 0.1));
            case "ExponentialLR" -> new ExponentialLR(opt, a.get("gamma").getAsDouble());
            case "CosineAnnealingLR" -> new CosineAnnealingLR(opt, a.get("T_max").getAsInt(), num(a, "eta_min", 0.0));
            case "CosineAnnealingWarmRestarts" -> new CosineAnnealingWarmRestarts(opt, a.get("T_0").getAsInt(), (int) num(a, "T_mult", 1),
                    num(a, "eta_min", 0.0));
            case "LinearLR" -> new LinearLR(opt, num(a, "start_factor", 1.0 / 3), num(a, "end_factor", 1.0), (int) num(a, "total_iters", 5));
            case "ConstantLR" -> new ConstantLR(opt, num(a, "factor", 1.0 / 3), (int) num(a, "total_iters", 5));
            case "PolynomialLR" -> new PolynomialLR(opt, (int) num(a, "total_iters", 5), num(a, "power", 1.0));
            case "OneCycleLR" -> {
                OneCycleLR.Options d = OneCycleLR.DEFAULTS;
                OneCycleLR.Options o = new OneCycleLR.Options(num(a, "pct_start", d.pctStart()),
                        a.has("anneal_strategy") ? a.get("anneal_strategy").getAsString() : d.annealStrategy(),
                        a.has("cycle_momentum") ? a.get("cycle_momentum").getAsBoolean() : d.cycleMomentum(), num(a, "base_momentum", d.baseMomentum()),
                        num(a, "max_momentum", d.maxMomentum()), num(a, "div_factor", d.divFactor()), num(a, "final_div_factor", d.finalDivFactor()),
                        a.has("three_phase") && a.get("three_phase").getAsBoolean());
                yield new OneCycleLR(opt, numbers(a.get("max_lr")), a.get("total_steps").getAsInt(), o);
            }
            case "CyclicLR" -> {
                CyclicLR.Options o = CyclicLR.DEFAULTS.withStepSizes((int) num(a, "step_size_up", 2000),
                        a.has("step_size_down") ? a.get("step_size_down").getAsInt() : null)
                        .withMode(a.has("mode") ? a.get("mode").getAsString() : "triangular").withGamma(num(a, "gamma", 1.0))
                        .withCycleMomentum(!a.has("cycle_momentum") || a.get("cycle_momentum").getAsBoolean())
                        .withMomentum(num(a, "base_momentum", 0.8), num(a, "max_momentum", 0.9));
                yield new CyclicLR(opt, numbers(a.get("base_lr")), numbers(a.get("max_lr")), o);
            }
            case "LambdaLR" -> a.get("lr_lambda").isJsonArray() ? new LambdaLR(opt, lambdas(a)) : new LambdaLR(opt, LAMBDAS.get(a.get("lr_lambda").getAsString()));
            case "MultiplicativeLR" -> a.get("lr_lambda").isJsonArray()
                    ? new MultiplicativeLR(opt, lambdas(a)) : new MultiplicativeLR(opt, LAMBDAS.get(a.get("lr_lambda").getAsString()));
            case "SequentialLR" -> new SequentialLR(opt, children(opt, spec), ints(spec.getAsJsonArray("milestones")));
            case "ChainedScheduler" -> new ChainedScheduler(children(opt, spec));
            case "ReduceLROnPlateau" -> {
                ReduceLROnPlateau.Options d = ReduceLROnPlateau.DEFAULTS;
                ReduceLROnPlateau.Options o = new ReduceLROnPlateau.Options(a.has("mode") ? a.get("mode").getAsString() : d.mode(), num(a, "factor", d.factor()),
                        (int) num(a, "patience", d.patience()), num(a, "threshold", d.threshold()),
                        a.has("threshold_mode") ? a.get("threshold_mode").getAsString() : d.thresholdMode(), (int) num(a, "cooldown", d.cooldown()),
                        d.minLr(), num(a, "eps", d.eps()));
                yield new ReduceLROnPlateau(opt, o, a.has("min_lr") ? numbers(a.get("min_lr")) : new double[] {d.minLr()});
            }
            default -> throw new IllegalArgumentException("unknown scheduler " + spec.get("kind"));
        };
    }

    @SuppressWarnings("unchecked")
    private static <H extends Hyperparameters<H>> List<LrScheduler> children(Optimizer<H> opt, JsonObject spec) {
        List<LrScheduler> out = new ArrayList<>();
        for (JsonElement e : spec.getAsJsonArray("schedulers")) out.add((LrScheduler) build(opt, e.getAsJsonObject()));
        return out;
    }

    private static List<Schedule> lambdas(JsonObject a) {
        return StreamSupport.stream(a.getAsJsonArray("lr_lambda").spliterator(), false).map(e -> LAMBDAS.get(e.getAsString())).toList();
    }

    private static double num(JsonObject a, String key, double fallback) {
        return a.has(key) ? a.get(key).getAsDouble() : fallback;
    }

    private static double[] numbers(JsonElement e) {
        return e.isJsonArray() ? doubles(e.getAsJsonArray()) : new double[] {e.getAsDouble()};
    }

    private static int[] ints(JsonArray a) {
        return StreamSupport.stream(a.spliterator(), false).mapToInt(JsonElement::getAsInt).toArray();
    }

    private static void assertClose(double want, double got, String where) {
        if (!(want == got || Math.abs(got - want) <= ATOL + RTOL * Math.abs(want))) fail(where + ": descent " + got + ", torch " + want);
    }
}
