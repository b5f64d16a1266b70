package dev.descent.nn;

/**
 * Batch normalisation over a 4-D {@code [N, C, H, W]} input, as PyTorch's {@code nn.BatchNorm2d}; statistics per
 * channel over {@code N}, {@code H} and {@code W}. Semantics, options and state-dict keys: {@link BatchNorm}.
 */
public final class BatchNorm2d extends BatchNorm {
    /** With PyTorch's defaults ({@link BatchNorm.Options#DEFAULT}). */
    public BatchNorm2d(int numFeatures) {
        this(numFeatures, Options.DEFAULT);
    }

    public BatchNorm2d(int numFeatures, Options options) {
        super(numFeatures, options);
    }

    @Override
    protected boolean acceptsRank(int rank) {
        return rank == 4;
    }

    @Override
    protected String expectedShapes(int c) {
        return "[N, " + c + ", H, W]";
    }
}
