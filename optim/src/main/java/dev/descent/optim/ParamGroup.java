package dev.descent.optim;

import dev.descent.core.Tensor;
import java.util.List;
import java.util.Objects;

/**
 * A parameter group: a fixed list of parameters sharing one set of hyperparameters, as an entry of PyTorch's
 * {@code optimizer.param_groups}. The parameters never change; the hyperparameters may be replaced (that is how
 * schedulers change the learning rate), always by another valid {@code Options} value.
 *
 * @param <H> the optimizer's hyperparameter record
 */
public final class ParamGroup<H extends Hyperparameters<H>> {
    private final List<Tensor> params;
    private H options;

    ParamGroup(List<Tensor> params, H options) {
        this.params = List.copyOf(params);
        this.options = Objects.requireNonNull(options, "options");
    }

    /** The parameters of this group, in the order given (unmodifiable). */
    public List<Tensor> params() {
        return params;
    }

    /** The current hyperparameters. */
    public H options() {
        return options;
    }

    /** Replaces the hyperparameters; they apply from the next step on. */
    public void setOptions(H options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    /** The learning rate of this group. */
    public double lr() {
        return options.lr();
    }

    /** Sets the learning rate of this group (shorthand for {@code setOptions(options().withLr(lr))}). */
    public void setLr(double lr) {
        setOptions(options.withLr(lr));
    }
}
