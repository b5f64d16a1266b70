package dev.descent.core;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** The README's tape example, verbatim between the markers, so that it cannot rot. */
class ReadmeExampleTest {

    @Test
    void readmeExampleRunsAndLearnsTheLinearModel() {
        // --- README example begins
        Rng rng = new Rng(42);
        Tensor x = Tensor.uniform(rng, -1, 1, 64, 3);                  // 64 samples, 3 features
        Tensor y = x.matmul(Tensor.vector(2, -1, 0.5)).add(0.3);         // targets of a linear model

        Tensor w = Tensor.zeros(3).requiresGrad(true);                   // variables: leaves that require grad
        Tensor b = Tensor.scalar(0).requiresGrad(true);
        for (int step = 0; step < 200; step++) {
            try (Tape tape = Tape.record()) {                            // ops on variables are recorded...
                Tensor loss = x.matmul(w).add(b).sub(y).square().mean();
                tape.backward(loss);                                     // ...and backward fills w.grad(), b.grad()
            }
            w.addInPlace(-0.5, w.grad());                                // plain gradient descent
            b.addInPlace(-0.5, b.grad());
            w.zeroGrad();
            b.zeroGrad();
        }
        // w is now close to [2, -1, 0.5] and b to 0.3

        // Gradients without accumulating, and second derivatives from nested tapes:
        Tensor h = Hessian.of(v -> v.pow(3).sum(), Tensor.vector(1, 2)); // [[6, 0], [0, 12]]

        // Check any function's gradients against central finite differences (PyTorch's tolerances):
        GradCheck.Report report = GradCheck.check(in -> in[0].tanh().mul(in[1]).sum(), x, w);
        System.out.println(report);                                      // "gradient check passed (...)" or the worst element
        // --- README example ends

        assertArrayEquals(new double[] {2, -1, 0.5}, w.toArray(), 1e-3);
        assertEquals(0.3, b.item(), 1e-3);
        assertArrayEquals(new double[] {6, 0, 0, 12}, h.toArray(), 1e-12);
        assertTrue(report.passed(), report::toString);
    }

    @Test
    void readmeShowsThisExampleVerbatim() throws Exception {
        java.nio.file.Path readme = java.nio.file.Path.of("..", "README.md");
        String text = java.nio.file.Files.readString(readme);
        String source = java.nio.file.Files.readString(java.nio.file.Path.of("src/test/java/dev/descent/core/ReadmeExampleTest.java"));
        String body = source.substring(source.indexOf("// --- README example begins") + "// --- README example begins".length(),
                source.indexOf("        // --- README example ends"));
        for (String line : body.strip().split("\n")) {
            String code = line.strip();
            if (!code.isEmpty()) assertTrue(text.contains(code), () -> "README.md lacks the line: " + code);
        }
    }
}
