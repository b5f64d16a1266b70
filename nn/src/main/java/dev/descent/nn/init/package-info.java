/**
 * Weight initialisation with the formulas, argument names and error messages of {@code torch.nn.init}: gains,
 * Xavier/Glorot, Kaiming/He, orthogonal and constant fills, each writing in place and drawing from an explicit
 * {@link dev.descent.core.Rng}.
 */
package dev.descent.nn.init;
