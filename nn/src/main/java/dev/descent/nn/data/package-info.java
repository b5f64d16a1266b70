/**
 * Data for training: a {@link dev.descent.nn.data.Dataset} of examples indexed along the first dimension, a
 * {@link dev.descent.nn.data.DataLoader} that batches it with a seeded shuffle, small synthetic problems, and a
 * reader for the IDX files of MNIST and Fashion-MNIST.
 */
package dev.descent.nn.data;
