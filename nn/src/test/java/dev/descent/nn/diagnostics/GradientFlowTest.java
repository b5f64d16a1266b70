package dev.descent.nn.diagnostics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.core.Rng;
import dev.descent.core.Tape;
import dev.descent.core.Tensor;
import dev.descent.nn.Linear;
import dev.descent.nn.Module;
import dev.descent.nn.ReLU;
import dev.descent.nn.Sequential;
import dev.descent.nn.Sigmoid;
import dev.descent.nn.Tanh;
import dev.descent.nn.init.FanMode;
import dev.descent.nn.init.Init;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** GradientFlow's verdicts on networks whose gradient flow is known from their construction. */
class GradientFlowTest {
    private static final int WIDTH = 32, DEPTH = 20, BATCH = 64;

    /** DEPTH hidden Linear(WIDTH, WIDTH) + activation layers with the given weight init, then a Linear(WIDTH, 1). */
    private static Sequential net(Supplier<Module> activation, Consumer<Linear> init, Rng rng) {
        List<Module> layers = new ArrayList<>();
        for (int i = 0; i < DEPTH; i++) {
            Linear lin = new Linear(WIDTH, WIDTH, rng);
            init.accept(lin);
            layers.add(lin);
            layers.add(activation.get());
        }
        layers.add(new Linear(WIDTH, 1, rng));
        return new Sequential(layers.toArray(Module[]::new));
    }

    /** One step of plain gradient descent on a regression to random targets, recorded. */
    private static List<LayerStats> step(Sequential model, GradientFlow flow, long seed) {
        Rng rng = new Rng(seed);
        Tensor x = Tensor.normal(rng, 0, 1, BATCH, WIDTH);
        Tensor y = Tensor.normal(rng, 0, 1, BATCH, 1);
        try (Tape tape = Tape.record()) {
            tape.backward(flow.forward(x).sub(y).square().mean());
        }
        for (Tensor p : model.parameters()) p.addInPlace(-1e-3, p.grad());
        return flow.record();
    }

    private static List<Health> verdicts(Sequential model) {
        GradientFlow flow = new GradientFlow(model);
        List<Health> out = new ArrayList<>();
        for (LayerStats s : step(model, flow, 11)) out.add(s.health());
        return out;
    }

    @Test
    void aDeepSigmoidNetWithSmallInitVanishesInItsEarlyLayers() {
        Rng rng = new Rng(1);
        List<Health> v = verdicts(net(Sigmoid::new, l -> Init.normal(l.weight(), 0, 0.01, rng), rng));
        for (int i = 0; i < 5; i++) assertEquals(Health.VANISHING, v.get(i), "layer " + i + " of " + v);
        assertEquals(Health.HEALTHY, v.get(v.size() - 1));
    }

    @Test
    void aDeepReluNetWithLargeGainExplodesInItsEarlyLayers() {
        Rng rng = new Rng(2);
        List<Health> v = verdicts(net(ReLU::new, l -> Init.kaimingNormal(l.weight(), 0, FanMode.FAN_IN, "relu", rng).data(), rng));
        assertTrue(v.stream().noneMatch(h -> h == Health.EXPLODING), "He init is not exploding: " + v);
        Rng rng2 = new Rng(2);
        List<Health> big = verdicts(net(ReLU::new, l -> Init.normal(l.weight(), 0, 3 * Math.sqrt(2.0 / WIDTH), rng2), rng2));
        for (int i = 0; i < 5; i++) assertEquals(Health.EXPLODING, big.get(i), "layer " + i + " of " + big);
    }

    @Test
    void aReluNetWithALargeNegativeBiasIsDead() {
        Rng rng = new Rng(3);
        List<Health> v = verdicts(net(ReLU::new, l -> {
            Init.kaimingUniform(l.weight(), 0, FanMode.FAN_IN, "relu", rng);
            Init.constant(l.bias(), -10);
        }, rng));
        for (int i = 0; i < DEPTH; i++) assertEquals(Health.DEAD, v.get(i), "layer " + i + " of " + v);
    }

    @Test
    void xavierTanhAndHeReluNetsAreHealthy() {
        Rng rng = new Rng(4);
        List<Health> tanh = verdicts(net(Tanh::new, l -> Init.xavierUniform(l.weight(), Init.calculateGain("tanh"), rng), rng));
        assertTrue(tanh.stream().allMatch(h -> h == Health.HEALTHY), "Xavier tanh: " + tanh);
        Rng rng2 = new Rng(5);
        List<Health> relu = verdicts(net(ReLU::new, l -> {
            Init.kaimingNormal(l.weight(), 0, FanMode.FAN_IN, "relu", rng2);
            Init.zeros(l.bias());
        }, rng2));
        assertTrue(relu.stream().allMatch(h -> h == Health.HEALTHY), "He ReLU: " + relu);
    }

    @Test
    void theHistoryRecordsEveryStepAndExportsAsCsv() {
        Rng rng = new Rng(6);
        Sequential model = net(Tanh::new, l -> Init.xavierUniform(l.weight(), 5.0 / 3, rng), rng);
        GradientFlow flow = new GradientFlow(model);
        step(model, flow, 1);
        List<LayerStats> second = step(model, flow, 2);
        assertEquals(2 * (DEPTH + 1), flow.history().size());
        LayerStats first = second.get(0);
        assertEquals(1, first.step());
        assertEquals("0", first.layer());
        assertTrue(first.updateRatio() > 0 && first.updateRatio() < 1e-2, "a small step moves weights a little: " + first.updateRatio());
        assertTrue(first.activationStd() > 0.1 && Math.abs(first.activationMean()) < 0.5, first.toString());
        assertEquals(1.0, second.get(DEPTH).gradRatio());
        String[] lines = flow.table().split("\n");
        assertEquals(1 + 2 * (DEPTH + 1), lines.length);
        assertEquals("step,layer,grad_norm,grad_to_weight,grad_ratio,activation_mean,activation_std,dead_fraction,update_ratio,health", lines[0]);
        assertTrue(lines[1].startsWith("0,0,") && lines[1].endsWith(",HEALTHY"), lines[1]);
    }
}
