/**
 * Learning-rate schedules.
 *
 * <p>Two views of the same idea. A {@link dev.descent.optim.schedule.Schedule} is a pure function from the step to a
 * value, composed optax-style ({@code Schedule.linear(0, 1e-3, 500).then(500, Schedule.cosineDecay(1e-3, 9_500, 0))}).
 * The PyTorch-style schedulers ({@link dev.descent.optim.schedule.StepLR}, {@link dev.descent.optim.schedule.MultiStepLR},
 * {@link dev.descent.optim.schedule.ExponentialLR}, {@link dev.descent.optim.schedule.CosineAnnealingLR},
 * {@link dev.descent.optim.schedule.CosineAnnealingWarmRestarts}, {@link dev.descent.optim.schedule.LinearLR},
 * {@link dev.descent.optim.schedule.ConstantLR}, {@link dev.descent.optim.schedule.PolynomialLR},
 * {@link dev.descent.optim.schedule.OneCycleLR}, {@link dev.descent.optim.schedule.CyclicLR},
 * {@link dev.descent.optim.schedule.LambdaLR}, {@link dev.descent.optim.schedule.MultiplicativeLR},
 * {@link dev.descent.optim.schedule.SequentialLR},
 * {@link dev.descent.optim.schedule.ChainedScheduler}, {@link dev.descent.optim.schedule.ReduceLROnPlateau}) are
 * stateful objects that drive an optimizer's parameter groups with PyTorch 1.13's names, defaults and update formulas
 * — recursive where PyTorch's are — so their learning-rate sequences equal PyTorch's to float64 rounding. They share
 * one base, {@link dev.descent.optim.schedule.LrScheduler}. A {@code Schedule} drives an optimizer through
 * {@code LambdaLR}.
 *
 * <p>{@link dev.descent.optim.schedule.LrFinder} runs the learning-rate range test to pick a learning rate.
 */
package dev.descent.optim.schedule;
