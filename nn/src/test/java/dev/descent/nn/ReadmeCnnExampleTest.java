package dev.descent.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.core.Conv2dOptions;
import dev.descent.core.MaxPool2dResult;
import dev.descent.core.Pool2dOptions;
import dev.descent.core.Rng;
import dev.descent.core.Tape;
import dev.descent.core.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's convolutional example, verbatim between the markers, so that it cannot rot. */
class ReadmeCnnExampleTest {

    @Test
    void readmeCnnExampleRunsWithTheShapesItStates() {
        Rng rng = new Rng(42);
        // --- README example begins
        Module cnn = new Sequential(
                new Conv2d(1, 8, 3, 1, 1, rng), new BatchNorm2d(8), new ReLU(), new MaxPool2d(2),  // [N, 8, 14, 14]
                new BasicBlock(8, 16, 2, rng),                        // strided 1x1 projection shortcut: [N, 16, 7, 7]
                new Dropout2d(0.1, rng), new AdaptiveAvgPool2d(1), new Flatten(), new Linear(16, 10, rng));
        Tensor images = Tensor.normal(rng, 0, 1, 4, 1, 28, 28);
        try (Tape tape = Tape.record()) {
            tape.backward(cnn.forward(images).logSoftmax(1).mean());   // logits [4, 10]; gradients for every layer
        }
        // the ops behind the layers, with PyTorch's arguments as records
        Tensor blurred = images.conv2d(Tensor.full(1.0 / 9, 1, 1, 3, 3), null, Conv2dOptions.DEFAULT.padding(1));
        Tensor up = blurred.convTranspose2d(Tensor.ones(1, 1, 2, 2), null, Conv2dOptions.DEFAULT.stride(2), 0, 0); // [4, 1, 56, 56]
        MaxPool2dResult pooled = images.maxPool2dWithIndices(Pool2dOptions.of(3).stride(2).padding(1).ceilMode(true));
        // --- README example ends

        assertArrayEquals(new int[] {8, 1, 3, 3}, cnn.namedParameters().get("0.weight").shape());
        assertTrue(cnn.namedParameters().get("4.downsample.0.weight").grad() != null, "the projection got a gradient");
        assertArrayEquals(new int[] {4, 1, 28, 28}, blurred.shape());
        assertArrayEquals(new int[] {4, 1, 56, 56}, up.shape());
        // ceil mode: floor((28 + 2 - 2 - 1 + 1) / 2) + 1 = 15, the last window starting on the last row
        assertArrayEquals(new int[] {4, 1, 15, 15}, pooled.values().shape());
        assertEquals(pooled.values().get(0, 0, 3, 5), images.reshape(4, 1, 28 * 28).get(0, 0, (int) pooled.indices().get(0, 0, 3, 5)));
    }

    @Test
    void readmeShowsThisExampleVerbatim() throws Exception {
        String text = Files.readString(Path.of("..", "README.md"));
        String source = Files.readString(Path.of("src/test/java/dev/descent/nn/ReadmeCnnExampleTest.java"));
        String body = source.substring(source.indexOf("// --- README example begins") + "// --- README example begins".length(),
                source.indexOf("        // --- README example ends"));
        for (String line : body.strip().split("\n")) {
            String code = line.strip();
            if (!code.isEmpty()) assertTrue(text.contains(code), () -> "README.md lacks the line: " + code);
        }
    }
}
