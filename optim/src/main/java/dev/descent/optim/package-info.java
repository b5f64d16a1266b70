/**
 * Optimizers over any list of {@link dev.descent.core.Tensor} parameters, with the names, defaults and semantics of
 * {@code torch.optim}.
 *
 * <p>{@link dev.descent.optim.Optimizer} owns parameter groups, per-parameter state, stepping and state dicts; each
 * algorithm ({@link dev.descent.optim.SGD}, {@link dev.descent.optim.Adam}, {@link dev.descent.optim.AdamW},
 * {@link dev.descent.optim.Adagrad}, {@link dev.descent.optim.RMSprop}, {@link dev.descent.optim.Adadelta},
 * {@link dev.descent.optim.Adamax}, {@link dev.descent.optim.RAdam}, {@link dev.descent.optim.NAdam},
 * {@link dev.descent.optim.ASGD}, {@link dev.descent.optim.Rprop}) is a small update rule with an immutable
 * {@code Options} record holding its hyperparameters, whose {@code DEFAULTS} are PyTorch's. Beyond PyTorch:
 * {@link dev.descent.optim.Lion}, with its paper's defaults.
 */
package dev.descent.optim;
