/**
 * Data for training: a {@link dev.descent.nn.data.Dataset} of examples indexed along the first dimension, a
 * {@link dev.descent.nn.data.DataLoader} that batches it with a seeded shuffle, random augmentation of image batches
 * ({@link dev.descent.nn.data.Transform}s in a {@link dev.descent.nn.data.TransformedDataset}), small synthetic
 * problems, and a reader for the IDX files of MNIST and Fashion-MNIST.
 */
package dev.descent.nn.data;
