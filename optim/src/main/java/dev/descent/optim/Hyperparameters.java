package dev.descent.optim;

/**
 * The hyperparameters of one parameter group: an immutable value (each optimizer's {@code Options} record) that
 * validates itself on construction with PyTorch's conditions and messages, so an invalid configuration cannot exist.
 *
 * <p>Every algorithm has a learning rate; schedulers change it through {@link #withLr(double)}.
 *
 * @param <H> the concrete record type
 */
public interface Hyperparameters<H extends Hyperparameters<H>> {
    /** The learning rate. */
    double lr();

    /** A copy with another learning rate (validated like every other field). */
    H withLr(double lr);

    /** Throws {@code IllegalArgumentException("Invalid " + what + ": " + value)} unless {@code value >= 0}, as PyTorch. */
    static void requireNonNegative(double value, String what) {
        if (!(value >= 0.0)) throw new IllegalArgumentException("Invalid " + what + ": " + value);
    }

    /** Checks {@code 0 <= beta < 1} with PyTorch's message for the beta at {@code index}. */
    static void requireBeta(double beta, int index) {
        if (!(beta >= 0.0 && beta < 1.0)) {
            throw new IllegalArgumentException("Invalid beta parameter at index " + index + ": " + beta);
        }
    }
}
