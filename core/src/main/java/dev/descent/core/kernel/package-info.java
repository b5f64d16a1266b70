/**
 * Allocation-free static kernels over {@code double[]} with explicit offsets: matrix multiplication,
 * elementwise maps and reductions.
 *
 * <p>Every fast kernel has a plain scalar reference beside it; tests compare the two, and when the two disagree the
 * scalar one is the specification. Kernels that use the incubating Vector API are selected only when the
 * {@code jdk.incubator.vector} module is present at run time.
 */
package dev.descent.core.kernel;
