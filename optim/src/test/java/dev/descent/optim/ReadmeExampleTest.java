package dev.descent.optim;

import static org.junit.jupiter.api.Assertions.*;

import dev.descent.core.Tape;
import dev.descent.core.Tensor;
import dev.descent.optim.clip.Clip;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's optimizer example, verbatim between the markers. */
class ReadmeExampleTest {

    @Test
    void readmeExampleMinimisesRosenbrock() {
        // --- README example begins
        Tensor xy = Tensor.vector(-1.5, 2).requiresGrad(true);
        Adam adam = new Adam(List.of(xy), Adam.DEFAULTS.withLr(0.05));
        for (int step = 0; step < 2000; step++) {
            Tensor loss = adam.step(() -> {                           // step(closure): the closure records the loss
                adam.zeroGrad();
                try (Tape tape = Tape.record()) {
                    Tensor x = xy.slice(0, 0, 1), y = xy.slice(0, 1, 2);
                    Tensor l = x.neg().add(1).square().add(y.sub(x.square()).square().mul(100)).sum();
                    tape.backward(l);
                    return l;
                }
            });
            Clip.clipGradNorm(List.of(xy), 10.0);                    // clipping composes with any optimizer
        }
        // xy is now close to the minimum (1, 1)
        var snapshot = adam.stateDict();                              // per-parameter state keyed by index, as PyTorch
        SGD sgd = new SGD(List.of(xy), SGD.Options.lr(1e-3).withMomentum(0.9).withNesterov(true));
        // --- README example ends

        assertArrayEquals(new double[] {1, 1}, xy.toArray(), 1e-3);
        assertTrue(snapshot.state().containsKey(0));
        assertEquals(1e-3, sgd.paramGroups().get(0).options().lr(), 0);
    }

    @Test
    void readmeShowsThisExampleVerbatim() throws Exception {
        String text = java.nio.file.Files.readString(java.nio.file.Path.of("..", "README.md"));
        String source = java.nio.file.Files.readString(java.nio.file.Path.of("src/test/java/dev/descent/optim/ReadmeExampleTest.java"));
        String body = source.substring(source.indexOf("// --- README example begins") + "// --- README example begins".length(),
                source.indexOf("        // --- README example ends"));
        for (String line : body.strip().split("\n")) {
            String code = line.strip();
            if (!code.isEmpty()) assertTrue(text.contains(code), () -> "README.md lacks the line: " + code);
        }
    }
}
