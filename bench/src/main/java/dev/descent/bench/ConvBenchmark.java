package dev.descent.bench;

import dev.descent.core.Conv2dOptions;
import dev.descent.core.Rng;
import dev.descent.core.Tensor;
import dev.descent.nn.BasicBlock;
import dev.descent.nn.BatchNorm2d;
import dev.descent.nn.Conv2d;
import dev.descent.nn.Module;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.*;

/**
 * Forward + backward of a convolutional layer, written as a user writes it:
 * <ul>
 *   <li>{@code conv}: a {@link Conv2d} 32 to 64 channels, 3x3, padding 1, on [32, 32, 28, 28];</li>
 *   <li>{@code basicblock}: a ResNet {@link BasicBlock} 64 to 64 on [32, 64, 14, 14];</li>
 *   <li>{@code batchnorm2d}: {@link BatchNorm2d}(64) in training mode on [32, 64, 28, 28].</li>
 * </ul>
 * The loss is {@code sum(out * w)} for a fixed random {@code w}; gradients reach the input and every parameter.
 * {@code reference.py conv} times the same in PyTorch. Issue target: at most PyTorch's time.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class ConvBenchmark {
    @Param({"conv", "basicblock", "batchnorm2d"})
    public String layer;

    /** Divides every batch size and spatial size above (1 = the sizes in the class comment; the smoke test uses more). */
    @Param({"1"})
    public int shrink;

    private Module module;
    private Tensor x, w;

    @Setup
    public void setup() {
        Rng rng = new Rng(17);
        int n = 32 / shrink;
        int[] shape = switch (layer) {
            case "conv" -> {
                module = new Conv2d(32, 64, 3, 3, Conv2dOptions.DEFAULT.padding(1), true, rng);
                yield new int[] {n, 32, 28 / shrink, 28 / shrink};
            }
            case "basicblock" -> {
                module = new BasicBlock(64, 64, 1, rng);
                yield new int[] {n, 64, 14 / shrink, 14 / shrink};
            }
            case "batchnorm2d" -> {
                module = new BatchNorm2d(64);
                yield new int[] {n, 64, 28 / shrink, 28 / shrink};
            }
            default -> throw new IllegalArgumentException("ConvBenchmark: layer must be conv, basicblock or batchnorm2d, got " + layer);
        };
        x = Tensor.normal(rng, 0, 1, shape).requiresGrad(true);
        w = Tensor.normal(rng, 0, 1, module.forward(x).shape());

    }

    @Benchmark
    public Tensor forwardBackward() {
        return Workloads.forwardBackward(module, x, w);
    }
}
