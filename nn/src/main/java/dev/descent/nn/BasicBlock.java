package dev.descent.nn;

import dev.descent.core.Conv2dOptions;
import dev.descent.core.Rng;
import dev.descent.core.Tensor;

/**
 * The basic residual block of ResNet-18/34 (He et al., "Deep Residual Learning for Image Recognition", 2016), as
 * torchvision's {@code BasicBlock}:
 * {@code y = relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x))}, where {@code conv1} is a 3x3 convolution with the
 * block's stride, {@code conv2} a 3x3 convolution with stride 1 (both padding 1, no bias) and the shortcut is the
 * identity when the stride is 1 and the channel counts agree, and otherwise the projection {@code downsample}: a
 * bias-free 1x1 convolution with the block's stride followed by a {@link BatchNorm2d}.
 *
 * <p>Children are named as torchvision's ({@code conv1}, {@code bn1}, {@code conv2}, {@code bn2},
 * {@code downsample.0}, {@code downsample.1}), so a torchvision state dict loads one to one. Input
 * {@code [N, in, H, W]}; output {@code [N, out, H', W']} with {@code H' = floor((H - 1) / stride) + 1}.
 */
public final class BasicBlock extends Module {
    private final int inChannels;
    private final int outChannels;
    private final int stride;
    private final Conv2d conv1;
    private final BatchNorm2d bn1;
    private final Conv2d conv2;
    private final BatchNorm2d bn2;
    private final Sequential downsample;

    /** A block from {@code in} to {@code out} channels with the given stride (1 keeps the size, 2 halves it). */
    public BasicBlock(int inChannels, int outChannels, int stride, Rng rng) {
        if (inChannels < 1 || outChannels < 1 || stride < 1) {
            throw new IllegalArgumentException("BasicBlock: expected positive channel counts and stride, got in=" + inChannels
                    + ", out=" + outChannels + ", stride=" + stride);
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.stride = stride;
        Conv2dOptions first = Conv2dOptions.DEFAULT.stride(stride).padding(1);
        this.conv1 = registerModule("conv1", new Conv2d(inChannels, outChannels, 3, 3, first, false, rng));
        this.bn1 = registerModule("bn1", new BatchNorm2d(outChannels));
        this.conv2 = registerModule("conv2", new Conv2d(outChannels, outChannels, 3, 3, Conv2dOptions.DEFAULT.padding(1), false, rng));
        this.bn2 = registerModule("bn2", new BatchNorm2d(outChannels));
        this.downsample = stride == 1 && inChannels == outChannels ? null : registerModule("downsample", new Sequential(
                new Conv2d(inChannels, outChannels, 1, 1, Conv2dOptions.DEFAULT.stride(stride), false, rng), new BatchNorm2d(outChannels)));
    }

    /** Whether the shortcut is a projection (a strided 1x1 convolution and BatchNorm) rather than the identity. */
    public boolean projects() {
        return downsample != null;
    }

    @Override
    public Tensor forward(Tensor input) {
        Tensor out = bn1.forward(conv1.forward(input)).relu();
        out = bn2.forward(conv2.forward(out));
        return out.add(downsample == null ? input : downsample.forward(input)).relu();
    }

    @Override
    protected String extraRepr() {
        return inChannels + ", " + outChannels + ", stride=" + stride;
    }
}
