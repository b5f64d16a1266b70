package dev.descent.examples.lab;

import dev.descent.core.Tensor;
import dev.descent.optim.AdaBelief;
import dev.descent.optim.Adadelta;
import dev.descent.optim.Adagrad;
import dev.descent.optim.Adam;
import dev.descent.optim.AdamW;
import dev.descent.optim.Adamax;
import dev.descent.optim.Lion;
import dev.descent.optim.NAdam;
import dev.descent.optim.Optimizer;
import dev.descent.optim.RAdam;
import dev.descent.optim.RMSprop;
import dev.descent.optim.SGD;
import dev.descent.optim.Yogi;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The optimizers the playgrounds offer, each with its sliders. The defaults are the optimizers' own
 * ({@code Adam.DEFAULTS} and so on), read from there; only SGD, which has no default rate, gets one here. Building an
 * optimizer goes through its real constructor, so an invalid combination (Nesterov without momentum) is refused
 * with the optimizer's own message.
 */
enum OptimizerKind {
    SGD("SGD", (p, h) -> new SGD(p, dev.descent.optim.SGD.Options.lr(h.get("lr")).withMomentum(h.get("momentum"))
            .withDampening(h.get("dampening")).withNesterov(h.get("nesterov") != 0)),
            lr(0.01), Hyperparameter.linear("momentum", 0, 0.999, 0), Hyperparameter.linear("dampening", 0, 1, 0),
            Hyperparameter.toggle("nesterov", false)),
    ADAM("Adam", (p, h) -> new Adam(p, Adam.DEFAULTS.withLr(h.get("lr")).withBetas(h.get("beta1"), h.get("beta2")).withEps(h.get("eps"))
            .withAmsgrad(h.get("amsgrad") != 0)),
            lr(Adam.DEFAULTS.lr()), beta1(Adam.DEFAULTS.beta1()), beta2(Adam.DEFAULTS.beta2()), eps(Adam.DEFAULTS.eps()),
            Hyperparameter.toggle("amsgrad", Adam.DEFAULTS.amsgrad())),
    ADAMW("AdamW", (p, h) -> new AdamW(p, AdamW.DEFAULTS.withLr(h.get("lr")).withBetas(h.get("beta1"), h.get("beta2")).withEps(h.get("eps"))
            .withWeightDecay(h.get("weightDecay"))),
            lr(AdamW.DEFAULTS.lr()), beta1(AdamW.DEFAULTS.beta1()), beta2(AdamW.DEFAULTS.beta2()), eps(AdamW.DEFAULTS.eps()),
            Hyperparameter.linear("weightDecay", 0, 1, AdamW.DEFAULTS.weightDecay())),
    NADAM("NAdam", (p, h) -> new NAdam(p, NAdam.DEFAULTS.withLr(h.get("lr")).withBetas(h.get("beta1"), h.get("beta2")).withEps(h.get("eps"))
            .withMomentumDecay(h.get("momentumDecay"))),
            lr(NAdam.DEFAULTS.lr()), beta1(NAdam.DEFAULTS.beta1()), beta2(NAdam.DEFAULTS.beta2()), eps(NAdam.DEFAULTS.eps()),
            Hyperparameter.log("momentumDecay", 1e-5, 1, NAdam.DEFAULTS.momentumDecay())),
    RADAM("RAdam", (p, h) -> new RAdam(p, RAdam.DEFAULTS.withLr(h.get("lr")).withBetas(h.get("beta1"), h.get("beta2")).withEps(h.get("eps"))),
            lr(RAdam.DEFAULTS.lr()), beta1(RAdam.DEFAULTS.beta1()), beta2(RAdam.DEFAULTS.beta2()), eps(RAdam.DEFAULTS.eps())),
    ADAMAX("Adamax", (p, h) -> new Adamax(p, Adamax.DEFAULTS.withLr(h.get("lr")).withBetas(h.get("beta1"), h.get("beta2")).withEps(h.get("eps"))),
            lr(Adamax.DEFAULTS.lr()), beta1(Adamax.DEFAULTS.beta1()), beta2(Adamax.DEFAULTS.beta2()), eps(Adamax.DEFAULTS.eps())),
    RMSPROP("RMSprop", (p, h) -> new RMSprop(p, RMSprop.DEFAULTS.withLr(h.get("lr")).withAlpha(h.get("alpha")).withEps(h.get("eps"))
            .withMomentum(h.get("momentum")).withCentered(h.get("centered") != 0)),
            lr(RMSprop.DEFAULTS.lr()), Hyperparameter.linear("alpha", 0, 0.9999, RMSprop.DEFAULTS.alpha()), eps(RMSprop.DEFAULTS.eps()),
            Hyperparameter.linear("momentum", 0, 0.999, RMSprop.DEFAULTS.momentum()), Hyperparameter.toggle("centered", RMSprop.DEFAULTS.centered())),
    ADAGRAD("AdaGrad", (p, h) -> new Adagrad(p, Adagrad.DEFAULTS.withLr(h.get("lr")).withEps(h.get("eps")).withLrDecay(h.get("lrDecay"))),
            lr(Adagrad.DEFAULTS.lr()), eps(Adagrad.DEFAULTS.eps()), Hyperparameter.linear("lrDecay", 0, 1, Adagrad.DEFAULTS.lrDecay())),
    ADADELTA("Adadelta", (p, h) -> new Adadelta(p, Adadelta.DEFAULTS.withLr(h.get("lr")).withRho(h.get("rho")).withEps(h.get("eps"))),
            lr(Adadelta.DEFAULTS.lr()), Hyperparameter.linear("rho", 0, 0.9999, Adadelta.DEFAULTS.rho()), eps(Adadelta.DEFAULTS.eps())),
    ADABELIEF("AdaBelief", (p, h) -> new AdaBelief(p, AdaBelief.DEFAULTS.withLr(h.get("lr")).withBetas(h.get("beta1"), h.get("beta2"))
            .withEps(h.get("eps"))),
            lr(AdaBelief.DEFAULTS.lr()), beta1(AdaBelief.DEFAULTS.beta1()), beta2(AdaBelief.DEFAULTS.beta2()), eps(AdaBelief.DEFAULTS.eps())),
    YOGI("Yogi", (p, h) -> new Yogi(p, Yogi.DEFAULTS.withLr(h.get("lr")).withBetas(h.get("beta1"), h.get("beta2")).withEps(h.get("eps"))),
            lr(Yogi.DEFAULTS.lr()), beta1(Yogi.DEFAULTS.beta1()), beta2(Yogi.DEFAULTS.beta2()), eps(Yogi.DEFAULTS.eps())),
    LION("Lion", (p, h) -> new Lion(p, Lion.DEFAULTS.withLr(h.get("lr")).withBetas(h.get("beta1"), h.get("beta2"))),
            lr(Lion.DEFAULTS.lr()), beta1(Lion.DEFAULTS.beta1()), beta2(Lion.DEFAULTS.beta2()));

    final String label;
    final List<Hyperparameter> hyperparameters;
    private final BiFunction<List<Tensor>, Map<String, Double>, Optimizer<?>> make;

    OptimizerKind(String label, BiFunction<List<Tensor>, Map<String, Double>, Optimizer<?>> make, Hyperparameter... hyperparameters) {
        this.label = label;
        this.make = make;
        this.hyperparameters = List.of(hyperparameters);
    }

    private static Hyperparameter lr(double defaultValue) {
        return Hyperparameter.log("lr", 1e-5, 10, defaultValue);
    }

    private static Hyperparameter beta1(double defaultValue) {
        return Hyperparameter.linear("beta1", 0, 0.9999, defaultValue);
    }

    private static Hyperparameter beta2(double defaultValue) {
        return Hyperparameter.linear("beta2", 0, 0.99999, defaultValue);
    }

    private static Hyperparameter eps(double defaultValue) {
        return Hyperparameter.log("eps", 1e-16, 1, defaultValue);
    }

    /** The key the page sends: the label in lower case ({@code adam}, {@code rmsprop}). */
    String key() {
        return label.toLowerCase(java.util.Locale.ROOT);
    }

    static List<String> keys() {
        return Params.keys(values(), OptimizerKind::key);
    }

    static OptimizerKind of(String key) {
        return Params.option(values(), OptimizerKind::key, "optimizer", key);
    }

    /** Reads {@code {"name": ..., "params": {...}}}: the optimizer and its hyperparameters, each within its slider's range. */
    static Spec read(Params p) {
        OptimizerKind kind = of(p.choice("name", keys(), "sgd"));
        Params hp = p.object("params");
        Map<String, Double> values = new LinkedHashMap<>();
        for (Hyperparameter h : kind.hyperparameters) {
            double v = h.scale().equals("toggle") ? (hp.bool(h.name(), h.defaultValue() != 0) ? 1 : 0)
                    : hp.number(h.name(), h.min(), h.max(), h.defaultValue());
            values.put(h.name(), v);
        }
        return new Spec(kind, Map.copyOf(values));
    }

    /** An optimizer with chosen hyperparameters. */
    record Spec(OptimizerKind kind, Map<String, Double> values) {
        /** Builds the optimizer over {@code params}; the optimizer's own checks apply. */
        Optimizer<?> create(List<Tensor> params) {
            return kind.make.apply(params, values);
        }

        /** The optimizer's name with its learning rate and every other hyperparameter that is not at its default. */
        String label() {
            StringBuilder sb = new StringBuilder(kind.label).append(" (lr ").append(Params.fmt(values.get("lr")));
            for (Hyperparameter h : kind.hyperparameters) {
                double v = values.get(h.name());
                if (h.name().equals("lr") || v == h.defaultValue()) continue;
                sb.append(", ").append(h.name());
                if (!h.scale().equals("toggle")) sb.append(' ').append(Params.fmt(v));
            }
            return sb.append(')').toString();
        }
    }
}
