/**
 * Optimizers over any list of {@link dev.descent.core.Tensor} parameters, with the names, defaults and semantics of
 * {@code torch.optim}.
 *
 * <p>{@link dev.descent.optim.Optimizer} owns parameter groups, per-parameter state, stepping and state dicts; each
 * algorithm ({@link dev.descent.optim.SGD}, {@link dev.descent.optim.Adam}, {@link dev.descent.optim.AdamW},
 * {@link dev.descent.optim.Adagrad}, {@link dev.descent.optim.RMSprop}, {@link dev.descent.optim.Adadelta},
 * {@link dev.descent.optim.Adamax}, {@link dev.descent.optim.RAdam}, {@link dev.descent.optim.NAdam},
 * {@link dev.descent.optim.ASGD}, {@link dev.descent.optim.Rprop}) is a small update rule with an immutable
 * {@code Options} record holding its hyperparameters, whose {@code DEFAULTS} are PyTorch's.
 * {@link dev.descent.optim.LBFGS} (with its strong-Wolfe line search) evaluates the loss several times per step and is
 * driven only through {@code step(closure)}. Beyond PyTorch, with their papers' defaults: {@link dev.descent.optim.Lion},
 * {@link dev.descent.optim.AdaBelief}, {@link dev.descent.optim.Yogi}, {@link dev.descent.optim.LAMB},
 * {@link dev.descent.optim.LARS} and {@link dev.descent.optim.Adafactor}; gradient descent with Armijo backtracking
 * ({@link dev.descent.optim.BacktrackingLineSearch}); and, for small problems, damped Newton's method with the exact
 * Hessian from nested tapes ({@link dev.descent.optim.Newton}, which takes the loss as a function of the parameters
 * and reports the Hessian's eigenvalues from {@link dev.descent.optim.SymmetricEigen}).
 */
package dev.descent.optim;
