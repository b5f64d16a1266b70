package dev.descent.nn;

/**
 * Batch normalisation over a 2-D {@code [N, C]} or 3-D {@code [N, C, L]} input, as PyTorch's {@code nn.BatchNorm1d};
 * statistics per channel over {@code N} (and {@code L}). Semantics, options and state-dict keys: {@link BatchNorm}.
 */
public final class BatchNorm1d extends BatchNorm {
    /** With PyTorch's defaults ({@link BatchNorm.Options#DEFAULT}). */
    public BatchNorm1d(int numFeatures) {
        this(numFeatures, Options.DEFAULT);
    }

    public BatchNorm1d(int numFeatures, Options options) {
        super(numFeatures, options);
    }

    @Override
    protected boolean acceptsRank(int rank) {
        return rank == 2 || rank == 3;
    }

    @Override
    protected String expectedShapes(int c) {
        return "[N, " + c + "] or [N, " + c + ", L]";
    }
}
