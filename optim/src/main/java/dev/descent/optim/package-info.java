/**
 * Optimizers that update any list of {@code dev.descent.core.Tensor} parameters from their gradients.
 */
package dev.descent.optim;
