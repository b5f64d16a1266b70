package dev.descent.optim.schedule;

/** Argument checks shared by the schedulers, with messages in PyTorch's style. */
final class Checks {
    private Checks() {}

    /**
     * {@code gamma > 0}. PyTorch does not check it; a zero or negative factor makes the learning rate zero or negative,
     * which the optimizers reject anyway, so it is refused here where the mistake is made.
     */
    static void positiveGamma(double gamma) {
        if (!(gamma > 0)) throw new IllegalArgumentException("Expected positive gamma, but got " + gamma);
    }

    static void positive(int value, String name) {
        if (value <= 0) throw new IllegalArgumentException("Expected positive integer " + name + ", but got " + value);
    }
}
