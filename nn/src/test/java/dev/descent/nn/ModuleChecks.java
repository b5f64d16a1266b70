package dev.descent.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.core.GradCheck;
import dev.descent.core.Rng;
import dev.descent.core.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/** Test helpers: gradient checks of a module with respect to its input and every parameter. */
final class ModuleChecks {
    private ModuleChecks() {}

    /** Backprop through {@code m} matches finite differences for the input and each parameter (substituted by name). */
    static void passesGradCheck(Module m, Tensor input) {
        List<String> names = new ArrayList<>(m.namedParameters().keySet());
        Tensor[] inputs = new Tensor[names.size() + 1];
        inputs[0] = input;
        for (int i = 0; i < names.size(); i++) inputs[i + 1] = m.namedParameters().get(names.get(i)).detach().copy();
        GradCheck.Report r = GradCheck.check(in -> {
            Map<String, Tensor> sub = new LinkedHashMap<>();
            for (int i = 0; i < names.size(); i++) sub.put(names.get(i), in[i + 1]);
            return m.functionalCall(sub, in[0]);
        }, inputs);
        assertTrue(r.passed(), () -> m + ": " + r);
    }

    /**
     * Backprop through {@code run} (which calls {@code m} on its arguments, e.g. an input and initial states) matches
     * finite differences for each of {@code inputs} and for each parameter of {@code m} (substituted by name).
     */
    static void passesGradCheck(Module m, Function<Tensor[], Tensor> run, Tensor... inputs) {
        Probe probe = new Probe(m);
        List<String> names = new ArrayList<>(probe.namedParameters().keySet());
        Tensor[] all = new Tensor[inputs.length + names.size()];
        System.arraycopy(inputs, 0, all, 0, inputs.length);
        for (int i = 0; i < names.size(); i++) all[inputs.length + i] = probe.namedParameters().get(names.get(i)).detach().copy();
        GradCheck.Report r = GradCheck.check(in -> {
            Map<String, Tensor> sub = new LinkedHashMap<>();
            for (int i = 0; i < names.size(); i++) sub.put(names.get(i), in[inputs.length + i]);
            probe.body = () -> run.apply(Arrays.copyOf(in, inputs.length));
            return probe.functionalCall(sub, null);
        }, all);
        assertTrue(r.passed(), () -> m + ": " + r);
    }

    /** Holds a module as its child {@code m}, so that {@link Module#functionalCall} can substitute its parameters around any call. */
    private static final class Probe extends Module {
        Supplier<Tensor> body;

        Probe(Module m) {
            registerModule("m", m);
        }

        @Override
        public Tensor forward(Tensor ignored) {
            return body.get();
        }
    }

    /** Values in ±[0.1, 2]: away from the kinks of relu-like functions at 0, where finite differences are meaningless. */
    static Tensor awayFromZero(long seed, int... shape) {
        Rng rng = new Rng(seed);
        Tensor t = Tensor.zeros(shape);
        double[] d = t.data();
        for (int i = 0; i < t.size(); i++) d[i] = (rng.nextDouble() < 0.5 ? -1 : 1) * rng.uniform(0.1, 2);
        t.markModified();
        return t;
    }
}
