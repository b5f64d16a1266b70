package dev.descent.nn;

import dev.descent.core.Rng;
import dev.descent.core.Tensor;

/**
 * A lookup table of {@code numEmbeddings} vectors of size {@code embeddingDim}, as PyTorch's {@code nn.Embedding}: an
 * input of integral indices of any shape gives {@code [*input.shape, embeddingDim]}, through the {@link
 * Tensor#embedding} op (repeated indices accumulate gradient).
 *
 * <p>The weight is initialised from N(0, 1), as in PyTorch. With a {@code paddingIdx} (negative counts from the end)
 * that row is initialised to zeros and never receives a gradient, so it stays a fixed "padding" vector.
 */
public final class Embedding extends Module {
    private final int numEmbeddings;
    private final int embeddingDim;
    private final Integer paddingIdx;

    /** A table without a padding row. */
    public Embedding(int numEmbeddings, int embeddingDim, Rng rng) {
        this(numEmbeddings, embeddingDim, null, rng);
    }

    /** A table whose row {@code paddingIdx} (null: none) is zero and gets no gradient. */
    public Embedding(int numEmbeddings, int embeddingDim, Integer paddingIdx, Rng rng) {
        if (numEmbeddings <= 0 || embeddingDim <= 0) {
            throw new IllegalArgumentException("Embedding: expected positive numEmbeddings and embeddingDim, got " + numEmbeddings + ", " + embeddingDim);
        }
        if (paddingIdx != null && (paddingIdx < -numEmbeddings || paddingIdx >= numEmbeddings)) {
            throw new IllegalArgumentException("Embedding: expected paddingIdx in [" + -numEmbeddings + ", " + numEmbeddings + "), got " + paddingIdx);
        }
        this.numEmbeddings = numEmbeddings;
        this.embeddingDim = embeddingDim;
        this.paddingIdx = paddingIdx == null ? null : paddingIdx < 0 ? paddingIdx + numEmbeddings : paddingIdx;
        Tensor weight = Tensor.normal(rng, 0, 1, numEmbeddings, embeddingDim);
        if (this.paddingIdx != null) {
            for (int j = 0; j < embeddingDim; j++) weight.set(0, this.paddingIdx, j);
        }
        registerParameter("weight", weight);
    }

    public int numEmbeddings() {
        return numEmbeddings;
    }

    public int embeddingDim() {
        return embeddingDim;
    }

    /**
     * The rows of the weight at the indices of {@code input}.
     *
     * @throws IllegalArgumentException naming the layer, the index and the range when an index is not an integer in
     *                                  {@code [0, numEmbeddings)}, e.g. {@code Embedding(10, 3): embedding: index 12 is
     *                                  out of range [0, 10)}
     */
    @Override
    public Tensor forward(Tensor input) {
        Tensor w = parameter("weight");
        try {
            return paddingIdx == null ? Tensor.embedding(input, w) : Tensor.embedding(input, w, paddingIdx);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(this + ": " + e.getMessage(), e);
        }
    }

    @Override
    protected String extraRepr() {
        return numEmbeddings + ", " + embeddingDim + (paddingIdx == null ? "" : ", padding_idx=" + paddingIdx);
    }
}
