/**
 * Float64 tensors, the reverse-mode {@link dev.descent.core.Tape}, {@link dev.descent.core.GradCheck}
 * (finite-difference gradient checking), {@link dev.descent.core.Hessian} and the seedable {@link dev.descent.core.Rng}.
 *
 * <p>Every differentiable operation is a method on {@link dev.descent.core.Tensor}. Its forward kernel and backward
 * rule live in one place, and backward rules are themselves written with tensor operations, so a tape opened around a
 * backward pass records it and higher derivatives follow.
 */
package dev.descent.core;
